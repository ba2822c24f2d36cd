package dev.mlcanary.inference;

import java.util.List;
import java.util.Map;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.apidocs.ApiProblems;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.inference.InferenceResponse.ResponseOutput;
import dev.mlcanary.inference.ModelMetadata.TensorMetadata;
import dev.mlcanary.model.ChurnFeatures;
import dev.mlcanary.prediction.BatchPrediction;
import dev.mlcanary.prediction.PredictionService;
import dev.mlcanary.prediction.RouteHint;
import dev.mlcanary.prediction.RouteHints;
import dev.mlcanary.prediction.VersionNotServedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol (KServe V2, REST): health, metadata and inference of the
 * one model this service serves, named {@code canary.model-name}. Health answers have no
 * body: 200 is true, 400 is false (the protocol's rule). An inference request is one
 * routing decision for its whole batch, exactly as {@code /predict} routes one
 * prediction.
 */
@RestController
@Tag(name = "Open Inference Protocol")
class InferenceController {

	static final String PLATFORM = "smile-logistic-regression";

	private static final String SERVER_NAME = "ml-canary";

	private static final List<TensorMetadata> INPUTS = List.of(new TensorMetadata(InferenceRequests.INPUT,
			InferenceRequests.FP64, new long[] { -1, ChurnFeatures.COUNT }));

	private static final List<TensorMetadata> OUTPUTS = List
		.of(new TensorMetadata(InferenceRequests.OUTPUT, InferenceRequests.FP64, new long[] { -1 }));

	private final PredictionService predictions;

	private final DeploymentService deployments;

	private final RouteHints routeHints;

	private final ApplicationAvailability availability;

	private final InferenceProperties properties;

	private final ServerMetadata server;

	InferenceController(PredictionService predictions, DeploymentService deployments, RouteHints routeHints,
			ApplicationAvailability availability, InferenceProperties properties,
			ObjectProvider<BuildProperties> build) {
		this.predictions = predictions;
		this.deployments = deployments;
		this.routeHints = routeHints;
		this.availability = availability;
		this.properties = properties;
		BuildProperties info = build.getIfAvailable();
		this.server = new ServerMetadata(SERVER_NAME, info == null ? "development" : info.getVersion(), List.of());
	}

	@GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Server metadata",
			description = "The server's name, its build version, and the protocol " + "extensions it supports: none.")
	ServerMetadata serverMetadata() {
		return server;
	}

	@GetMapping("/v2/health/live")
	@Operation(summary = "Server live", description = """
			200 with an empty body while the service is live, 400 with an empty body when it is broken (the \
			protocol's 4xx for false): the same state as `/actuator/health/liveness`.""")
	@ApiResponse(responseCode = "200", description = "Live.", content = @Content)
	@ApiResponse(responseCode = "400", description = "Not live.", content = @Content)
	ResponseEntity<Void> serverLive() {
		return availability.getLivenessState() == LivenessState.CORRECT ? ResponseEntity.ok().build()
				: ResponseEntity.badRequest().build();
	}

	@GetMapping("/v2/health/ready")
	@Operation(summary = "Server ready", description = """
			200 with an empty body when the service can answer predictions, 400 with an empty body when it cannot \
			(the protocol's 4xx for false): the same state as `/actuator/health/readiness`, which is down while \
			the service starts or stops and, in fleet mode, while a replica cannot serve the shared deployment.""")
	@ApiResponse(responseCode = "200", description = "Ready.", content = @Content)
	@ApiResponse(responseCode = "400", description = "Not ready.", content = @Content)
	ResponseEntity<Void> serverReady() {
		return readiness();
	}

	@GetMapping(path = "/v2/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Model metadata", description = """
			The model's inputs and outputs, its platform, and the versions serving it: stable first, then the \
			canary if one is deployed.""")
	@ApiProblems(ApiProblem.INFER_UNKNOWN_MODEL)
	ModelMetadata modelMetadata(@PathVariable @Parameter(example = "churn") String name) {
		return metadata(name, null);
	}

	@GetMapping(path = "/v2/models/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Model metadata of a version", description = """
			The same metadata, for a version being served (the stable or the canary one); any other version is \
			a 404 naming those being served.""")
	@ApiProblems({ ApiProblem.INFER_UNKNOWN_MODEL, ApiProblem.VERSION_NOT_SERVED })
	ModelMetadata modelVersionMetadata(@PathVariable @Parameter(example = "churn") String name,
			@PathVariable @Parameter(example = "v1") String version) {
		return metadata(name, version);
	}

	@GetMapping("/v2/models/{name}/ready")
	@Operation(summary = "Model ready", description = """
			200 with an empty body when the model can answer, 400 with an empty body when the service is not \
			ready; an unknown model is a 404.""")
	@ApiResponse(responseCode = "200", description = "Ready.", content = @Content)
	@ApiProblems(ApiProblem.INFER_UNKNOWN_MODEL)
	ResponseEntity<Void> modelReady(@PathVariable @Parameter(example = "churn") String name) {
		metadata(name, null);
		return readiness();
	}

	@GetMapping("/v2/models/{name}/versions/{version}/ready")
	@Operation(summary = "Model version ready", description = """
			200 with an empty body when this version is being served and the service is ready, 400 with an \
			empty body when the service is not ready; a version not being served is a 404.""")
	@ApiResponse(responseCode = "200", description = "Ready.", content = @Content)
	@ApiProblems({ ApiProblem.INFER_UNKNOWN_MODEL, ApiProblem.VERSION_NOT_SERVED })
	ResponseEntity<Void> modelVersionReady(@PathVariable @Parameter(example = "churn") String name,
			@PathVariable @Parameter(example = "v1") String version) {
		metadata(name, version);
		return readiness();
	}

	@PostMapping(path = "/v2/models/{name}/infer", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Inference", description = """
			Scores a batch of N rows (`shape [N, 5]`, FP64 or FP32, flat or one array per row) with one version: \
			the whole batch goes to stable or to the canary, by the same weight, `X-Request-Key` stickiness and \
			`X-Canary-Route` override as `/predict`; if the canary fails, stable answers the whole batch. A batch \
			of one row is recorded as one `/predict` call; a larger batch is kept out of the latency judges \
			(docs/inference-protocol.md). `parameters.role` says which role served.""")
	@ApiProblems({ ApiProblem.INFER_INVALID_INPUTS, ApiProblem.INFER_UNKNOWN_INPUT, ApiProblem.INFER_INVALID_DATATYPE,
			ApiProblem.INFER_INVALID_SHAPE, ApiProblem.INFER_INVALID_DATA_LENGTH, ApiProblem.INFER_INVALID_NUMBER,
			ApiProblem.INFER_NOT_A_NUMBER, ApiProblem.INFER_UNKNOWN_OUTPUT, ApiProblem.INFER_UNKNOWN_FIELD,
			ApiProblem.INFER_BATCH_TOO_LARGE, ApiProblem.INFER_UNKNOWN_MODEL, ApiProblem.INVALID_REQUEST_KEY,
			ApiProblem.INVALID_ROUTE, ApiProblem.ROUTE_NEEDS_TOKEN, ApiProblem.ROUTE_NEEDS_OPERATOR,
			ApiProblem.ROUTE_LOOPBACK_ONLY, ApiProblem.NO_CANARY_TO_ROUTE_TO, ApiProblem.MODEL_UNAVAILABLE })
	InferenceResponse infer(@PathVariable @Parameter(example = "churn") String name,
			@RequestBody InferenceRequest request,
			@Parameter(description = "Sticky routing, as on `/predict`.", example = "customer-42") @RequestHeader(
					name = RouteHint.REQUEST_KEY, required = false) @Nullable String requestKey,
			@Parameter(description = "Forces a role, as on `/predict`: needs the operator token.",
					schema = @Schema(allowableValues = { "canary", "stable" })) @RequestHeader(
							name = RouteHint.FORCED_ROUTE, required = false) @Nullable String route,
			HttpServletRequest http) {
		return infer(name, null, request, routeHints.read(requestKey, route, http));
	}

	@PostMapping(path = "/v2/models/{name}/versions/{version}/infer", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Inference by a version", description = """
			The same inference, served by the version named in the path if it is the stable or the canary one \
			(it wins over the routing headers); any other version is a 404 naming those being served.""")
	@ApiProblems({ ApiProblem.INFER_INVALID_INPUTS, ApiProblem.INFER_UNKNOWN_INPUT, ApiProblem.INFER_INVALID_DATATYPE,
			ApiProblem.INFER_INVALID_SHAPE, ApiProblem.INFER_INVALID_DATA_LENGTH, ApiProblem.INFER_INVALID_NUMBER,
			ApiProblem.INFER_NOT_A_NUMBER, ApiProblem.INFER_UNKNOWN_OUTPUT, ApiProblem.INFER_UNKNOWN_FIELD,
			ApiProblem.INFER_BATCH_TOO_LARGE, ApiProblem.INFER_UNKNOWN_MODEL, ApiProblem.VERSION_NOT_SERVED,
			ApiProblem.MODEL_UNAVAILABLE })
	InferenceResponse inferVersion(@PathVariable @Parameter(example = "churn") String name,
			@PathVariable @Parameter(example = "v1") String version, @RequestBody InferenceRequest request) {
		return infer(name, version, request, RouteHint.RANDOM);
	}

	private InferenceResponse infer(String name, @Nullable String version, InferenceRequest request, RouteHint hint) {
		requireModel(name);
		double[][] rows = InferenceRequests.rows(request, properties.inference().maxBatchRows());
		BatchPrediction served = predictions.predictBatch(rows, version == null ? hint : hint.withVersion(version));
		ResponseOutput output = new ResponseOutput(InferenceRequests.OUTPUT, InferenceRequests.FP64,
				new long[] { rows.length }, served.probabilities());
		return new InferenceResponse(properties.modelName(), served.version(), request.id(),
				Map.of("role", served.role().wireName()), List.of(output));
	}

	private ModelMetadata metadata(String name, @Nullable String version) {
		requireModel(name);
		Deployment deployment = deployments.current();
		List<String> versions = deployment.hasCanary()
				? List.of(deployment.stable().version(), deployment.canary().version())
				: List.of(deployment.stable().version());
		if (version != null && !versions.contains(version)) {
			throw VersionNotServedException.of(version, deployment);
		}
		return new ModelMetadata(properties.modelName(), versions, PLATFORM, INPUTS, OUTPUTS);
	}

	private void requireModel(String name) {
		if (!properties.modelName().equals(name)) {
			throw InferenceProblems.unknownModel(name, properties.modelName());
		}
	}

	private ResponseEntity<Void> readiness() {
		return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC ? ResponseEntity.ok().build()
				: ResponseEntity.badRequest().build();
	}

}
