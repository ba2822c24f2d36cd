package dev.mlcanary.deployment;

import java.time.Clock;
import java.util.List;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.apidocs.ApiProblems;
import dev.mlcanary.model.ModelManifest;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.model.PortableModel;
import dev.mlcanary.system.RequestAttributes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The models the service can deploy: the model directory's, and those uploaded as
 * portable documents ({@code docs/model-format.md}). An upload is stored where every
 * replica can load it (the model directory in file mode, the database in postgres mode)
 * and is then deployed by version like any other; only uploads can be deleted, and only
 * while they do not serve.
 */
@RestController
@RequestMapping(path = "/admin/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models")
class ModelsController {

	private final DeploymentService deployments;

	private final ModelStore models;

	private final Clock clock;

	ModelsController(DeploymentService deployments, ModelStore models, Clock clock) {
		this.deployments = deployments;
		this.models = models;
		this.clock = clock;
	}

	@Schema(description = "One model; `role` is `stable`, `canary` or `null`; `uploaded` whether it came through "
			+ "`POST /admin/models` (and so may be deleted through the API).")
	record ModelView(String version, String modelPath, @Nullable String role, boolean uploaded,
			ModelManifest manifest) {
	}

	@Schema(description = "The model directory and every model the service can deploy, bundled and uploaded.")
	record ModelsResponse(String modelDir, List<ModelView> models) {
	}

	@Schema(description = "What an upload did: `created`, or `unchanged` when the same document was stored already.")
	record UploadResponse(String status, String message, ModelView model) {
	}

	/** The portable document, for the API documentation; the body is read as bytes. */
	@Schema(description = "A binary logistic regression as data (docs/model-format.md).")
	record ModelDocument(@Schema(example = PortableModel.FORMAT) String format,
			@Schema(example = "1") int formatVersion, @Schema(example = "v4") String version,
			@Schema(description = "The service's five features, in order.") List<String> featureNames,
			@Schema(example = "-2.07") double intercept,
			@Schema(description = "One weight per feature.") List<Double> coefficients,
			@Schema(description = "The negative class, then the positive one.") List<String> classes,
			PortableModel.Provenance provenance) {
	}

	@GetMapping
	@Operation(summary = "List the models", description = """
			Every version the service can deploy with its manifest, its role (`stable`, `canary` or `null`) and \
			whether it was uploaded.""")
	ModelsResponse models() {
		Deployment d = deployments.current();
		List<ModelView> views = models.list().stream().map(e -> view(d, e)).toList();
		return new ModelsResponse(models.directory().toString(), views);
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Upload a model", description = """
			Stores a portable model document (docs/model-format.md) under its `version`, after checking every \
			field; `POST /admin/deploy-canary {"version": ...}` then deploys it, on every replica of a fleet. \
			201 when stored, 200 when the same document was stored already, 409 when the version holds another \
			model. The body is at most 64 KiB.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(schema = @Schema(implementation = ModelDocument.class))),
			responses = { @ApiResponse(responseCode = "201", description = "Stored."), @ApiResponse(
					responseCode = "200",
					description = "The same document was stored under this version already: nothing changed.") })
	@ApiProblems({ ApiProblem.INVALID_MODEL_DOCUMENT, ApiProblem.MODEL_VERSION_TAKEN, ApiProblem.MODEL_NOT_SAVED,
			ApiProblem.MODEL_NOT_STORED_IN_STORE })
	ResponseEntity<UploadResponse> upload(@RequestBody byte[] body, HttpServletRequest request) {
		PortableModel document = PortableModel.parse(body);
		ModelStore.Upload upload = models.upload(document, clock.instant());
		ModelView view = view(deployments.current(), upload.entry());
		boolean created = upload.outcome() == ModelStore.UploadOutcome.CREATED;
		String message = (created ? "Stored model " : "Model ") + view.version()
				+ (created ? "" : " was stored already") + " (SHA-256 " + view.manifest().sha256()
				+ "); deploy it with POST /admin/deploy-canary {\"version\": \"" + view.version() + "\"}.";
		request.setAttribute(RequestAttributes.AUDIT_DETAIL, message);
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
			.body(new UploadResponse(created ? "created" : "unchanged", message, view));
	}

	@DeleteMapping("/{version}")
	@Operation(summary = "Delete an uploaded model", description = """
			Deletes a model that came through `POST /admin/models` and is neither stable nor canary (409 if it \
			is). Models of the model directory, bundled or exported, are not deleted through the API (409).""",
			responses = @ApiResponse(responseCode = "204", description = "Deleted."))
	@ApiProblems({ ApiProblem.MODEL_SERVING, ApiProblem.MODEL_NOT_DELETABLE, ApiProblem.MODEL_NOT_FOUND })
	ResponseEntity<Void> deleteModel(@PathVariable String version, HttpServletRequest request) {
		deployments.deleteUploadedModel(version);
		request.setAttribute(RequestAttributes.AUDIT_DETAIL, "Deleted uploaded model " + version + ".");
		return ResponseEntity.noContent().build();
	}

	private static ModelView view(Deployment d, ModelStore.ModelEntry e) {
		return new ModelView(e.version(), e.modelPath(), roleOf(d, e.version()), e.uploaded(), e.manifest());
	}

	private static @Nullable String roleOf(Deployment d, String version) {
		if (d.stable().version().equals(version)) {
			return "stable";
		}
		return d.hasCanary() && d.canary().version().equals(version) ? "canary" : null;
	}

}
