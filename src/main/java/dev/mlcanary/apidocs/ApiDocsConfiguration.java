package dev.mlcanary.apidocs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.mlcanary.system.AdminAccessRules;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI description at {@code /v3/api-docs} and Swagger UI at {@code /docs}
 * (springdoc). The controllers say what each endpoint does and which problems it answers
 * ({@link ApiProblems}, {@link ChangesDeployment}, {@link ShowsDeployment}); this class
 * turns that into responses with real examples, adds the access rules of
 * {@link AdminAccessRules}, and takes the request and answer examples from
 * {@code api-docs/examples.json}, keyed by operation id.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	static final String OPERATOR_TOKEN = "operator-token";

	static final String READ_TOKEN = "read-token";

	static final String PROBLEM_SCHEMA = "ProblemDetail";

	static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

	private static final String DESCRIPTION = """
			Churn predictions from a stable model and a canary, and the operator endpoints that deploy, \
			promote and roll back the canary, check its health and show the audit trail.

			* JSON in snake_case. Every error is RFC 9457 `application/problem+json` with a fixed `type` \
			(`urn:ml-canary:problem:...`) and a `detail` that says what to fix; a refused request changes nothing.
			* A query parameter is given at most once and never empty (`?limit=` and `?limit=5&limit=6` are 400s); \
			a `POST` that takes no body (promote, roll back, toggle the slowdown) refuses one.
			* Before any endpoint, a request with more than 100 headers or more than 16 KiB of request line and \
			headers, or with a path that is not canonical (`//`, `;`, `.` or `..` segments, an encoded `.`, `/`, \
			`\\` or `%`), is a 400 whose `detail` says which, with the path sent as `instance`.
			* `POST /predict` is open. `/admin/**` needs `Authorization: Bearer <token>`: the operator token \
			for everything, the read-only token for the `GET` endpoints. With no token configured, `/admin/**` \
			answers loopback clients only.
			* Every change takes the deployment generation it expects (`expected_generation`, 409 when stale, or \
			`If-Match`, 412 when stale) and answers with the new one as `ETag`.

			docs/health-check.md and docs/rollout.md describe the statistics behind the health check and the automated rollout.""";

	@Bean
	OpenAPI openApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return new OpenAPI()
			.info(new Info().title("ml-canary")
				.version(properties == null ? "development" : properties.getVersion())
				.description(DESCRIPTION)
				.license(new License().name("GNU General Public License v3.0 or later").identifier("GPL-3.0-or-later")))
			// Relative: the service that serves this description, whatever host and port
			// it is reached at
			// (springdoc would write the host of the request that fetched it, e.g.
			// http://localhost:8000).
			.servers(List.of(new Server().url("/").description("This service")))
			.components(new Components()
				.addSecuritySchemes(OPERATOR_TOKEN,
						bearer("The operator token (`canary.admin.token`, `CANARY_ADMIN_TOKEN`): "
								+ "every admin endpoint, and `X-Canary-Route` on `/predict`."))
				.addSecuritySchemes(READ_TOKEN,
						bearer("The optional read-only token (`canary.admin.read-token`, "
								+ "`CANARY_ADMIN_READ_TOKEN`): the `GET` admin endpoints only.")))
			.tags(List.of(
					new Tag().name("Predictions").description("Churn predictions, routed to stable or the canary."),
					new Tag().name("Deployment")
						.description("Deploy, promote and roll back the canary; the deployment and the models."),
					new Tag().name("Analysis")
						.description("Is the canary healthy, and how many samples does a check need?"),
					new Tag().name("Audit").description("Who changed what, and how each admin call ended."),
					new Tag().name("Open Inference Protocol")
						.description("KServe V2 REST: batches of predictions through the same routing as `/predict`, "
								+ "metadata and health (docs/inference-protocol.md)."),
					new Tag().name("Fleet")
						.description(
								"The replicas of a fleet: which are live, what they serve, which drives rollouts.")));
	}

	/**
	 * springdoc describes schemas with swagger-core, which reads classes through its own
	 * Jackson 2 mapper, not the application's Jackson 3 one. Give it the naming of
	 * {@code spring.jackson.property-naming-strategy} (snake_case), so that the
	 * documented property names are the ones on the wire, and the nullness of the records
	 * ({@link ApiModelResolver}).
	 */
	@Bean
	ModelResolver apiModelResolver() {
		return new ApiModelResolver(
				Json31.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

	/**
	 * Problems, generation headers and examples of each operation, from the controller's
	 * annotations.
	 */
	@Bean
	OperationCustomizer documentedOperations(JsonMapper json) {
		Map<String, Map<String, Map<String, Object>>> examples = readExamples(json);
		return (operation, handler) -> {
			ApiProblems problems = handler.getMethodAnnotation(ApiProblems.class);
			if (problems != null) {
				Arrays.stream(problems.value()).forEach(problem -> addProblem(operation, problem));
			}
			if (operation.getRequestBody() != null) {
				List.of(ApiProblem.MALFORMED_JSON, ApiProblem.PAYLOAD_TOO_LARGE, ApiProblem.UNSUPPORTED_MEDIA_TYPE)
					.forEach(problem -> addProblem(operation, problem));
			}
			else if (handler.hasMethodAnnotation(PostMapping.class)) {
				// A POST that reads no body refuses one (system.StrictRequests).
				addProblem(operation, ApiProblem.UNEXPECTED_BODY);
			}
			firstQueryParameter(operation)
				.ifPresent(name -> List.of(ApiProblem.EMPTY_PARAMETER, ApiProblem.REPEATED_PARAMETER)
					.forEach(problem -> addProblem(operation, problem, name)));
			if (handler.hasMethodAnnotation(ChangesDeployment.class)) {
				describeGenerationParameters(operation);
				List.of(ApiProblem.INVALID_IF_MATCH, ApiProblem.GENERATION_CHANGED, ApiProblem.STALE_IF_MATCH,
						ApiProblem.STATE_NOT_SAVED, ApiProblem.STORE_UNAVAILABLE)
					.forEach(problem -> addProblem(operation, problem));
			}
			if (handler.hasMethodAnnotation(ChangesDeployment.class)
					|| handler.hasMethodAnnotation(ShowsDeployment.class)) {
				ok(operation).addHeaderObject(HttpHeaders.ETAG, new Header().description(
						"The deployment's generation, quoted: send it back in `If-Match` to change exactly this deployment.")
					.schema(typed("string").example("\"7\"")));
			}
			addExamples(operation, handler, examples.get(operation.getOperationId()));
			return operation;
		};
	}

	/**
	 * The access rules of {@link AdminAccessRules}: {@code /admin/**} needs the operator
	 * token, or the read token for its read-only {@code GET} endpoints, and answers 401
	 * and 403 otherwise. An open endpoint that documents a 401 takes the operator token
	 * optionally. Last, every problem example names its path as {@code instance} and the
	 * responses are sorted by status.
	 */
	@Bean
	OpenApiCustomizer accessRulesAndProblemSchema() {
		return openApi -> {
			openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				documentAccess(path, method, operation);
				finish(path, operation);
			}));
		};
	}

	private static void documentAccess(String path, PathItem.HttpMethod method, Operation operation) {
		if (path.startsWith("/admin/")) {
			boolean readOnly = method == PathItem.HttpMethod.GET && Set.of(AdminAccessRules.READ_ONLY).contains(path);
			operation.addSecurityItem(new SecurityRequirement().addList(OPERATOR_TOKEN));
			if (readOnly) {
				operation.addSecurityItem(new SecurityRequirement().addList(READ_TOKEN));
			}
			addProblem(operation, ApiProblem.UNAUTHORIZED);
			addProblem(operation, ApiProblem.LOOPBACK_ONLY);
			if (!readOnly) {
				addProblem(operation, ApiProblem.READ_TOKEN_MAY_NOT_CHANGE);
			}
		}
		else if (operation.getResponses().containsKey("401")) {
			operation
				.setSecurity(List.of(new SecurityRequirement(), new SecurityRequirement().addList(OPERATOR_TOKEN)));
		}
		else {
			// Open: no token at all (the Open Inference Protocol's metadata and health).
			operation.setSecurity(List.of(new SecurityRequirement()));
		}
	}

	@SuppressWarnings("unchecked")
	private static void finish(String path, Operation operation) {
		ApiResponses sorted = new ApiResponses();
		new TreeMap<>(operation.getResponses()).forEach(sorted::addApiResponse);
		operation.setResponses(sorted);
		sorted.values()
			.stream()
			.map(response -> response.getContent() == null ? null : response.getContent().get(PROBLEM_JSON))
			.filter(media -> media != null && media.getExamples() != null)
			.flatMap(media -> media.getExamples().values().stream())
			.forEach(example -> {
				Map<String, Object> problem = (Map<String, Object>) example.getValue();
				problem.put("instance", examplePath(path));
				if (path.startsWith("/v2")) {
					// The Open Inference Protocol's error object, beside detail
					// (inference.InferenceConfiguration).
					if (ApiProblem.PAYLOAD_TOO_LARGE.type().toString().equals(problem.get("type"))) {
						// canary.inference.max-request-size, not canary.max-request-size
						problem.put("detail", ApiProblem.PAYLOAD_TOO_LARGE.detail().replace("65536", "2097152"));
					}
					problem.put("error", problem.get("detail"));
				}
			});
	}

	/**
	 * The path of a problem example's {@code instance}: a real path, with the path
	 * variables of {@code /v2/models/{name}/versions/{version}/...} filled in ({@code {}}
	 * is not allowed in a URI).
	 */
	static String examplePath(String path) {
		return path.replace("{name}", "churn").replace("{version}", "v9");
	}

	private static void addProblem(Operation operation, ApiProblem problem) {
		addProblem(operation, problem, ApiProblem.EXAMPLE_PARAMETER);
	}

	/**
	 * @param parameter the query parameter a problem of any query parameter names in its
	 * example
	 */
	private static void addProblem(Operation operation, ApiProblem problem, String parameter) {
		String code = String.valueOf(problem.status().value());
		ApiResponse response = operation.getResponses().get(code);
		if (response == null || response.getContent() == null || !response.getContent().containsKey(PROBLEM_JSON)) {
			response = new ApiResponse().description(describe(problem))
				.content(new Content().addMediaType(PROBLEM_JSON,
						new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))));
			if (problem.status().value() == 401) {
				response.addHeaderObject(HttpHeaders.WWW_AUTHENTICATE, new Header()
					.description(
							"`Bearer realm=\"ml-canary\"`, with `error=\"invalid_token\"` when a wrong token was sent.")
					.schema(typed("string")));
			}
			operation.getResponses().addApiResponse(code, response);
		}
		// The example's instance is the path, which finish() knows.
		response.getContent()
			.get(PROBLEM_JSON)
			.addExamples(problem.name().toLowerCase(Locale.ROOT).replace('_', '-'),
					new Example().summary(problem.name().toLowerCase(Locale.ROOT).replace('_', ' '))
						.value(problem.body(null, parameter)));
	}

	private static String describe(ApiProblem problem) {
		return switch (problem.status()) {
			case BAD_REQUEST -> "The request is invalid; `detail` says what to fix. Nothing changed.";
			case UNAUTHORIZED -> "No valid admin token was sent.";
			case FORBIDDEN -> "The caller may not do this: the read-only token where the operator token is needed, "
					+ "or a remote client while no admin token is configured.";
			case NOT_FOUND -> "No such model or version; `detail` names the ones there are (`available_versions` "
					+ "lists the model files on `model-not-found` of the admin API).";
			case CONFLICT -> "The request conflicts with the current deployment. Nothing changed.";
			case PRECONDITION_FAILED -> "`If-Match` names a generation that is no longer the deployment's: it changed "
					+ "since it was read. Nothing changed; re-read `/admin/status` and retry.";
			case CONTENT_TOO_LARGE -> "The request body is larger than `canary.max-request-size` (64 KiB; "
					+ "`canary.inference.max-request-size`, 2 MB, under `/v2/models/`), or a batch has more rows than "
					+ "`canary.inference.max-batch-rows` (10,000).";
			case UNSUPPORTED_MEDIA_TYPE -> "The body is not sent as `Content-Type: application/json`.";
			case SERVICE_UNAVAILABLE ->
				"A dependency is unavailable, so nothing changed: the deployment state could not be saved durably, "
						+ "(in fleet mode) the PostgreSQL store cannot be used, or the stable model failed to score; "
						+ "`detail` says which.";
			default -> problem.status().getReasonPhrase();
		};
	}

	/**
	 * Every query parameter is given at most once and never empty
	 * (system.StrictRequests).
	 */
	private static Optional<String> firstQueryParameter(Operation operation) {
		return operation.getParameters() == null ? Optional.empty()
				: operation.getParameters()
					.stream()
					.filter(p -> "query".equals(p.getIn()))
					.map(Parameter::getName)
					.findFirst();
	}

	private static void describeGenerationParameters(Operation operation) {
		for (Parameter parameter : operation.getParameters()) {
			if (parameter.getName().equals("expected_generation")) {
				// No example value: Swagger UI would send it on "Try it out" and get a
				// 409.
				parameter.description("Apply the change only if the deployment is still at this generation, e.g. `7` "
						+ "(409 otherwise). Leave it out to apply the change to whatever is deployed.");
			}
			else if (parameter.getName().equals(HttpHeaders.IF_MATCH)) {
				parameter
					.description("The same condition as `expected_generation`, as an HTTP precondition (412 when it "
							+ "fails): the `ETag` of `/admin/status`, quoted or bare, e.g. `\"7\"`; `*` matches any generation. "
							+ "Leave it out to skip the check.");
			}
		}
	}

	private static void addExamples(Operation operation, HandlerMethod handler,
			Map<String, Map<String, Object>> examples) {
		if (examples == null && ok(operation).getContent() == null) {
			return; // an answer without a body: a health probe of the Open Inference
					// Protocol
		}
		if (examples == null) {
			throw new IllegalStateException("api-docs/examples.json has no examples for " + operation.getOperationId()
					+ " (" + handler.getShortLogMessage() + ")");
		}
		if (operation.getRequestBody() != null) {
			operation.getRequestBody().getContent().get(JSON).setExamples(toExamples(examples.get("request")));
		}
		for (String status : List.of("200", "201")) {
			ApiResponse success = operation.getResponses().get(status);
			Map<String, Object> answers = examples.get(status.equals("200") ? "response" : "response_201");
			if (success != null && success.getContent() != null && answers != null) {
				success.getContent().get(JSON).setExamples(toExamples(answers));
			}
		}
	}

	private static ApiResponse ok(Operation operation) {
		return operation.getResponses().get("200");
	}

	private static Map<String, Example> toExamples(Map<String, Object> named) {
		Map<String, Example> examples = new LinkedHashMap<>();
		named.forEach((summary, value) -> examples.put(summary.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"),
				new Example().summary(summary).value(value)));
		return examples;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Map<String, Object>>> readExamples(JsonMapper json) {
		try (InputStream in = new ClassPathResource("api-docs/examples.json").getInputStream()) {
			return json.readValue(in, LinkedHashMap.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Schema<Object> problemSchema() {
		Schema<Object> schema = typed("object")
			.description("An RFC 9457 problem. Some problems carry more members, such as `available_versions` "
					+ "on `model-not-found`.")
			.required(List.of("type", "title", "status", "detail"))
			.additionalProperties(Boolean.TRUE);
		schema.addProperty("type",
				typed("string").format("uri")
					.description("Fixed for each kind of problem: match on it, not on `detail`.")
					.example("urn:ml-canary:problem:invalid-request"));
		schema.addProperty("title", typed("string").description("A short summary of the kind of problem."));
		schema.addProperty("status", typed("integer").format("int32").description("The HTTP status."));
		schema.addProperty("detail", typed("string").description("What went wrong and what to send instead."));
		schema.addProperty("instance", typed("string").format("uri-reference").description("The request path."));
		return schema;
	}

	private static Schema<Object> typed(String type) {
		return new Schema<>().types(Set.of(type));
	}

	private static SecurityScheme bearer(String description) {
		return new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").description(description);
	}

}
