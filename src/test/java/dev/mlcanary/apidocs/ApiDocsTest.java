package dev.mlcanary.apidocs;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mlcanary.TestRequests;
import dev.mlcanary.TestTokens;
import dev.mlcanary.WithAdminTokens;
import dev.mlcanary.deployment.DeploymentConflictException;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.deployment.PreconditionFailedException;
import dev.mlcanary.deployment.StateNotSavedException;
import dev.mlcanary.model.InvalidModelException;
import dev.mlcanary.model.ModelConflictException;
import dev.mlcanary.model.ModelNotFoundException;
import dev.mlcanary.model.ModelNotSavedException;
import dev.mlcanary.model.TestModelDocuments;
import dev.mlcanary.prediction.ModelUnavailableException;
import dev.mlcanary.prediction.VersionNotServedException;
import dev.mlcanary.store.StoreUnavailableException;
import dev.mlcanary.system.AdminAccessRules;
import dev.mlcanary.system.ProblemTypes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description at {@code /v3/api-docs} matches the service: every endpoint
 * with its methods, snake_case schemas with the names real answers use, examples of the
 * right shape, the problems each endpoint answers (and that each documented problem is
 * what the service says), and the admin access rules. Swagger UI at {@code /docs} is
 * open; the admin endpoints stay closed. Runs on the same cached context as
 * {@link AdminSecurityTest} (operator and read tokens).
 */
@WithAdminTokens
public class ApiDocsTest {

	private static final String OPERATOR = "Bearer " + TestTokens.OPERATOR;

	private static final String READER = "Bearer " + TestTokens.READER;

	private static final String FEATURES = TestRequests.PREDICT_BODY;

	private static final Pattern KNOWN_FIELDS = Pattern.compile("Known fields: (.*)\\.");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	DeploymentService deployments;

	@Autowired
	BuildProperties build;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void everyPredictAndAdminEndpointIsDocumentedWithItsMethods() {
		Set<String> served = mappings.getHandlerMethods()
			.keySet()
			.stream()
			.flatMap(info -> info.getPatternValues()
				.stream()
				.flatMap(path -> info.getMethodsCondition().getMethods().stream().map(method -> method + " " + path)))
			.filter(endpoint -> endpoint.contains(" /predict") || endpoint.contains(" /admin")
					|| endpoint.contains(" /v2"))
			.collect(Collectors.toCollection(TreeSet::new));
		Set<String> documented = new TreeSet<>();
		apiDocs().get("paths")
			.properties()
			.forEach(path -> path.getValue()
				.propertyNames()
				.forEach(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));

		assertThat(served).hasSizeGreaterThanOrEqualTo(10);
		assertThat(documented).as("documented endpoints, and only those: no /error, no actuator").isEqualTo(served);
	}

	@Test
	void tryItOutSendsNoGenerationUnlessTheUserTypesOne() {
		operations((path, method, operation) -> operation.path("parameters").values().forEach(parameter -> {
			String name = parameter.path("name").asString();
			if (name.equals("expected_generation") || name.equals("If-Match")) {
				assertThat(parameter.has("example") || parameter.path("schema").has("example")
						|| parameter.path("schema").has("default"))
					.as(method + " " + path + " " + name)
					.isFalse();
			}
		}));
	}

	@Test
	void everyOperationHasADescriptionExamplesAndItsProblemsAsProblemJson() {
		Set<String> problemTypes = problemTypes();
		operations((path, method, operation) -> {
			String name = method + " " + path;
			assertThat(operation.path("summary").asString()).as(name).isNotBlank();
			assertThat(operation.path("description").asString()).as(name).isNotBlank();
			if (isProbe(path)) {
				assertThat(operation.at("/responses/200/content").isMissingNode()).as(name + ": no body").isTrue();
				return;
			}
			if (!operation.get("responses").has("204")) {
				assertThat(operation.at("/responses/200/content/application~1json/examples").size()).as(name)
					.isPositive();
			}
			if (operation.has("requestBody")) {
				assertThat(operation.at("/requestBody/content/application~1json/examples").size()).as(name)
					.isPositive();
				assertThat(operation.get("responses").propertyNames()).as(name).contains("400", "413", "415");
			}
			if (path.startsWith("/admin/")) {
				assertThat(operation.get("responses").propertyNames()).as(name).contains("401", "403");
			}
			Set<String> errors = operation.get("responses")
				.propertyNames()
				.stream()
				.filter(code -> code.compareTo("400") >= 0)
				.collect(Collectors.toSet());
			if (!path.equals("/v2")) {
				assertThat(errors).as(name).isNotEmpty();
			}
			for (String code : errors) {
				JsonNode content = operation.at("/responses/" + code + "/content");
				assertThat(content.propertyNames()).as(name + " " + code).containsExactly("application/problem+json");
				JsonNode media = content.get("application/problem+json");
				assertThat(media.at("/schema/$ref").asString()).isEqualTo("#/components/schemas/ProblemDetail");
				assertThat(media.get("examples").size()).as(name + " " + code).isPositive();
				for (JsonNode example : media.get("examples").values()) {
					JsonNode problem = example.get("value");
					assertThat(problemTypes).as(name + " " + code).contains(problem.get("type").asString());
					assertThat(problem.get("status").asInt()).isEqualTo(Integer.parseInt(code));
					assertThat(problem.get("instance").asString()).isEqualTo(ApiDocsConfiguration.examplePath(path));
					assertThat(problem.get("title").asString()).isNotBlank();
					assertThat(problem.get("detail").asString()).isNotBlank();
				}
			}
		});
		JsonNode problem = apiDocs().at("/components/schemas/ProblemDetail");
		assertThat(problem.get("properties").propertyNames()).containsExactly("type", "title", "status", "detail",
				"instance");
		assertThat(problem.get("additionalProperties").asBoolean()).as("e.g. available_versions").isTrue();
	}

	/**
	 * The Open Inference Protocol's health probes answer with an empty body: 200 true,
	 * 400 false.
	 */
	private static boolean isProbe(String path) {
		return path.startsWith("/v2/health/") || path.endsWith("/ready");
	}

	@Test
	void everyProblemOfTheInferenceProtocolCarriesItsErrorBesideDetail() {
		operations((path, method, operation) -> operation.get("responses").properties().forEach(response -> {
			JsonNode examples = response.getValue().at("/content/application~1problem+json/examples");
			examples.values().forEach(example -> {
				JsonNode problem = example.get("value");
				if (path.startsWith("/v2")) {
					assertThat(problem.get("error")).as(path).isEqualTo(problem.get("detail"));
				}
				else {
					assertThat(problem.has("error")).as(path).isFalse();
				}
			});
		}));
	}

	@Test
	void everyChangeDocumentsAStaleGenerationAs409AndAStaleIfMatchAs412() {
		Set<String> conditional = new TreeSet<>();
		operations((path, method, operation) -> {
			if (operation.path("parameters")
				.values()
				.stream()
				.anyMatch(p -> p.path("name").asString().equals("If-Match"))) {
				conditional.add(path);
				JsonNode problems = operation.get("responses");
				assertThat(problems.at("/409/content/application~1problem+json/examples/generation-changed/value/type")
					.asString()).as(path).isEqualTo("urn:ml-canary:problem:deployment-conflict");
				assertThat(problems.at("/412/content/application~1problem+json/examples/stale-if-match/value/type")
					.asString()).as(path).isEqualTo("urn:ml-canary:problem:precondition-failed");
			}
		});
		assertThat(conditional).containsExactly("/admin/deploy-canary", "/admin/promote-canary",
				"/admin/rollback-canary", "/admin/toggle-slowdown");
	}

	@Test
	void everyOperationWithQueryParametersShowsThemRefusedEmptyOrRepeatedByAName() {
		Set<String> withQuery = new TreeSet<>();
		operations((path, method, operation) -> {
			Set<String> query = operation.path("parameters")
				.values()
				.stream()
				.filter(p -> p.path("in").asString().equals("query"))
				.map(p -> p.path("name").asString())
				.collect(Collectors.toSet());
			if (!query.isEmpty()) {
				withQuery.add(path);
				JsonNode examples = operation.at("/responses/400/content/application~1problem+json/examples");
				for (String problem : new String[] { "empty-parameter", "repeated-parameter" }) {
					String detail = examples.at("/" + problem + "/value/detail").asString();
					Matcher named = Pattern.compile("^Parameter '([a-z_]+)'").matcher(detail);
					assertThat(named.find()).as(path + " " + problem + ": " + detail).isTrue();
					assertThat(query).as(path + " " + problem).contains(named.group(1));
				}
			}
		});
		assertThat(withQuery).contains("/admin/events", "/admin/power-analysis", "/admin/check-canary-health",
				"/admin/toggle-slowdown");
	}

	@Test
	void everyPostWithoutABodyDocumentsThatItRefusesOne() {
		Set<String> withoutBody = new TreeSet<>();
		operations((path, method, operation) -> {
			if (method.equals("post") && !operation.has("requestBody")) {
				withoutBody.add(path);
				assertThat(operation
					.at("/responses/400/content/application~1problem+json/examples/unexpected-body/value/detail")
					.asString()).as(path).isEqualTo(ApiProblem.UNEXPECTED_BODY.detail());
			}
		});
		assertThat(withoutBody).containsExactly("/admin/promote-canary", "/admin/rollback-canary",
				"/admin/toggle-slowdown");
	}

	/**
	 * JSpecify's {@code @Nullable} on a record component is "or null" in its schema
	 * (ApiModelResolver).
	 */
	@Test
	void nullableComponentsAreNullableInTheSchemaAndOthersAreNot() {
		assertThat(schema("StatusResponse").at("/properties/canary_version/type").toString())
			.isEqualTo("[\"string\",\"null\"]");
		assertThat(schema("StatusResponse").at("/properties/canary_weight/type").toString())
			.isEqualTo("[\"number\",\"null\"]");
		assertThat(schema("StatusResponse").at("/properties/stable_version/type").asString()).isEqualTo("string");
		assertThat(schema("StatusResponse").at("/properties/rollout/oneOf").toString())
			.isEqualTo("[{\"$ref\":\"#/components/schemas/RolloutView\"},{\"type\":\"null\"}]");
		assertThat(schema("RolloutView").at("/properties/last_verdict/enum").toString())
			.isEqualTo("[\"PASS\",\"FAIL\",\"INCONCLUSIVE\",null]");
		assertThat(schema("HealthReport").at("/properties/p_value/type").toString()).isEqualTo("[\"number\",\"null\"]");
		assertThat(schema("HealthReport").at("/properties/alpha/type").asString()).isEqualTo("number");
		assertThat(schema("AuditEvent").at("/properties/canary_before/type").asString())
			.as("left out of the JSON when null (NON_NULL), never null")
			.isEqualTo("string");
	}

	@Test
	void schemaPropertyNamesAreSnakeCase() {
		apiDocs().at("/components/schemas")
			.properties()
			.forEach(schema -> assertThat(schema.getValue().path("properties").propertyNames()).as(schema.getKey())
				.allMatch(name -> name.matches("[a-z][a-z0-9_]*")));
	}

	@Test
	void responseSchemasHaveTheNamesOfRealAnswers() {
		assertProperties("PredictionResponse", post("/predict", null, FEATURES));
		assertProperties("StatusResponse", get("/admin/status"));
		assertProperties("PowerAnalysisResponse", get("/admin/power-analysis"));
		JsonNode models = get("/admin/models");
		assertProperties("ModelsResponse", models);
		assertProperties("ModelView", models.at("/models/0"));
		// A bundled model's manifest has neither of the members of an uploaded one
		assertThat(models.at("/models/0/manifest").propertyNames())
			.containsExactlyElementsOf(schema("ModelManifest").get("properties")
				.propertyNames()
				.stream()
				.filter(p -> !List.of("model_format", "uploaded_at").contains(p))
				.toList());

		JsonNode deployed = post("/admin/deploy-canary", OPERATOR,
				"{\"version\": \"v2\", \"strategy\": {\"steps\": [10, 50, 100], \"interval\": \"1h\"}}");
		assertProperties("DeployResponse", deployed);
		assertProperties("RolloutView", deployed.get("rollout"));
		assertProperties("StrategyView", deployed.at("/rollout/strategy"));
		JsonNode health = get("/admin/check-canary-health");
		assertProperties("HealthReport", health);
		JsonNode latest = get("/admin/check-canary-health/latest");
		assertProperties("LatestCheckResponse", latest);
		assertThat(latest.get("report")).as("the check just run").isEqualTo(health);
		JsonNode latency = get("/admin/latency");
		assertProperties("LatencyView", latency);
		assertProperties("VersionLatency", latency.get("canary"));
		assertThat(health.at("/judges/welch").propertyNames()).as("a judge's numbers follow its verdict and reason")
			.containsAll(schema("JudgeReport").get("properties").propertyNames());
		assertProperties("SlowdownResponse", post("/admin/toggle-slowdown", OPERATOR, null));
		post("/admin/toggle-slowdown", OPERATOR, null);
		assertProperties("PromoteResponse", post("/admin/promote-canary", OPERATOR, null));
		post("/admin/deploy-canary", OPERATOR, "{\"version\": \"v1\"}");
		post("/admin/promote-canary", OPERATOR, null);
		post("/admin/deploy-canary", OPERATOR, "{\"version\": \"v2\"}");
		assertProperties("RollbackResponse", post("/admin/rollback-canary", OPERATOR, null));
		assertThat(deployments.current().stable().version()).as("left as found").isEqualTo("v1");

		JsonNode fleet = get("/admin/fleet");
		assertProperties("FleetView", fleet);
		assertProperties("ReplicaView", fleet.at("/replicas/0"));
		assertProperties("Samples", fleet.at("/replicas/0/samples"));

		JsonNode events = get("/admin/events?limit=50");
		assertProperties("EventsResponse", events);
		Set<String> eventFields = schema("AuditEvent").get("properties")
			.propertyNames()
			.stream()
			.collect(Collectors.toSet());
		events.get("events").values().forEach(event -> assertThat(eventFields).containsAll(event.propertyNames()));
		events.get("events")
			.values()
			.stream()
			.map(event -> event.get("verdict"))
			.filter(verdict -> verdict != null)
			.forEach(verdict -> assertThat(schema("Verdict").get("properties").propertyNames())
				.containsAll(verdict.propertyNames()));
	}

	@Test
	void requestSchemasHaveTheFieldsTheServiceKnows() {
		assertThat(properties("PredictionRequest"))
			.isEqualTo(knownFields("/predict", "{\"features\": [1, 2, 3, 4, 5], \"x\": 1}"));
		assertThat(properties("DeployRequest"))
			.isEqualTo(knownFields("/admin/deploy-canary", "{\"version\": \"v2\", \"x\": 1}"));
		assertThat(properties("StrategyRequest"))
			.isEqualTo(knownFields("/admin/deploy-canary", "{\"version\": \"v2\", \"strategy\": {\"x\": 1}}"));
	}

	@Test
	void examplesHaveTheShapeOfTheirSchemas() {
		operations((path, method, operation) -> {
			if (isProbe(path)) {
				return;
			}
			for (String status : List.of("200", "201")) {
				JsonNode media = operation.at("/responses/" + status + "/content/application~1json");
				if (!media.isMissingNode()) {
					examplesMatch(method + " " + path + " " + status, media);
				}
			}
			if (operation.has("requestBody")) {
				examplesMatch(method + " " + path + " request", operation.at("/requestBody/content/application~1json"));
			}
		});
	}

	@ParameterizedTest
	@EnumSource(value = ApiProblem.class, mode = EnumSource.Mode.EXCLUDE,
			names = { "LOOPBACK_ONLY", "ROUTE_LOOPBACK_ONLY", "MODEL_SERVING", "MODEL_NOT_SAVED",
					"MODEL_NOT_STORED_IN_STORE", "STATE_NOT_SAVED", "STORE_UNAVAILABLE", "SAMPLES_NOT_POOLED",
					"EVENTS_UNAVAILABLE",
					// A stable model that fails to score: PredictionServiceBatchTest.
					"MODEL_UNAVAILABLE" })
	void everyDocumentedProblemIsWhatTheServiceAnswers(ApiProblem problem) {
		MvcTestResult result = switch (problem) {
			case INVALID_FEATURES ->
				exchange(HttpMethod.POST, "/predict", null, "{\"features\": [0.5, 1.2, 0.8, 0.3]}");
			case UNKNOWN_FIELD ->
				exchange(HttpMethod.POST, "/predict", null, "{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1], \"extra\": 1}");
			case UNKNOWN_DEPLOY_FIELD -> deploy("{\"version\": \"v2\", \"colour\": \"red\"}");
			case MALFORMED_JSON ->
				exchange(HttpMethod.POST, "/predict", null, "{\"features\": [0.5, NaN, 0.8, 0.3, 1.1]}");
			case INVALID_ROUTE -> predict("X-Canary-Route", "sideways", OPERATOR);
			case INVALID_REQUEST_KEY -> predict("X-Request-Key", "k".repeat(300), null);
			case INVALID_DEPLOY -> deploy("{}");
			case INVALID_WEIGHT -> deploy("{\"version\": \"v2\", \"weight\": 1.5}");
			case INVALID_STRATEGY ->
				deploy("{\"version\": \"v2\", \"strategy\": {\"steps\": [10, 25, 50, 100], \"interval\": \"2h\"}}");
			case INVALID_MODEL -> deploy("{\"model_path\": \"../../etc/passwd\"}");
			case INVALID_IF_MATCH -> mvc.post()
				.uri("/admin/toggle-slowdown")
				.header("Authorization", OPERATOR)
				.header(HttpHeaders.IF_MATCH, "abc")
				.exchange();
			case INVALID_MODE -> exchange(HttpMethod.GET, "/admin/check-canary-health?mode=bayesian", READER, null);
			case INVALID_POWER_ANALYSIS -> exchange(HttpMethod.GET, "/admin/power-analysis?alpha=1.5", READER, null);
			case INVALID_LIMIT -> exchange(HttpMethod.GET, "/admin/events?limit=0", READER, null);
			case EMPTY_PARAMETER -> exchange(HttpMethod.GET, "/admin/events?limit=", READER, null);
			case REPEATED_PARAMETER -> exchange(HttpMethod.GET, "/admin/events?limit=5&limit=6", READER, null);
			case UNEXPECTED_BODY -> exchange(HttpMethod.POST, "/admin/toggle-slowdown", OPERATOR, "{{{");
			case UNAUTHORIZED -> exchange(HttpMethod.GET, "/admin/status", null, null);
			case READ_TOKEN_MAY_NOT_CHANGE -> exchange(HttpMethod.POST, "/admin/toggle-slowdown", READER, null);
			case ROUTE_NEEDS_TOKEN -> predict("X-Canary-Route", "canary", null);
			case ROUTE_NEEDS_OPERATOR -> predict("X-Canary-Route", "canary", READER);
			case MODEL_NOT_FOUND -> deploy("{\"version\": \"v9\"}");
			case INVALID_MODEL_DOCUMENT -> exchange(HttpMethod.POST, "/admin/models", OPERATOR,
					TestModelDocuments.valid("v9").replace("1.2109", "\"1.2109\""));
			case MODEL_VERSION_TAKEN ->
				exchange(HttpMethod.POST, "/admin/models", OPERATOR, TestModelDocuments.valid("v2"));
			case MODEL_NOT_DELETABLE -> exchange(HttpMethod.DELETE, "/admin/models/v2", OPERATOR, null);
			case CANARY_ALREADY_DEPLOYED -> {
				assertThat(deploy("{\"version\": \"v2\"}")).hasStatusOk();
				yield deploy("{\"version\": \"v2\"}");
			}
			case ALREADY_STABLE -> deploy("{\"version\": \"v1\"}");
			case GENERATION_CHANGED ->
				exchange(HttpMethod.POST, "/admin/toggle-slowdown?expected_generation=999999", OPERATOR, null);
			case STALE_IF_MATCH -> mvc.post()
				.uri("/admin/toggle-slowdown")
				.header("Authorization", OPERATOR)
				.header(HttpHeaders.IF_MATCH, "\"999999\"")
				.exchange();
			case NO_CANARY_TO_PROMOTE -> exchange(HttpMethod.POST, "/admin/promote-canary", OPERATOR, null);
			case NO_CANARY_TO_ROLL_BACK -> exchange(HttpMethod.POST, "/admin/rollback-canary", OPERATOR, null);
			case NO_CANARY_TO_ROUTE_TO -> predict("X-Canary-Route", "canary", OPERATOR);
			case INFER_INVALID_INPUTS ->
				infer("{\"inputs\": [" + tensor("features", "[1, 5]", "FP64", "[1, 2, 3, 4, 5]") + ", "
						+ tensor("features", "[1, 5]", "FP64", "[1, 2, 3, 4, 5]") + "]}");
			case INFER_UNKNOWN_INPUT -> infer(inputs(tensor("input0", "[1, 5]", "FP64", "[1, 2, 3, 4, 5]")));
			case INFER_INVALID_DATATYPE -> infer(inputs(tensor("features", "[1, 5]", "UINT32", "[1, 2, 3, 4, 5]")));
			case INFER_INVALID_SHAPE -> infer(inputs(tensor("features", "[2, 2]", "FP64", "[1, 2, 3, 4]")));
			case INFER_INVALID_DATA_LENGTH -> infer(inputs(tensor("features", "[1, 5]", "FP64", "[1, 2, 3, 4]")));
			case INFER_INVALID_NUMBER ->
				infer(inputs(tensor("features", "[2, 5]", "FP64", "[1, 1, 1, 1, 1, 1, 1, 1e7, 1, 1]")));
			case INFER_NOT_A_NUMBER -> infer(inputs(tensor("features", "[1, 5]", "FP64", "[1, \"2\", 3, 4, 5]")));
			case INFER_UNKNOWN_OUTPUT ->
				infer("{\"inputs\": [" + tensor("features", "[1, 5]", "FP64", "[1, 2, 3, 4, 5]")
						+ "], \"outputs\": [{\"name\": \"output0\"}]}");
			case INFER_UNKNOWN_FIELD ->
				infer("{\"inputs\": [" + tensor("features", "[1, 5]", "FP64", "[1, 2, 3, 4, 5]") + "], \"extra\": 1}");
			case INFER_BATCH_TOO_LARGE -> infer(inputs(tensor("features", "[10001, 5]", "FP64", "[1]")));
			case INFER_UNKNOWN_MODEL -> exchange(HttpMethod.GET, "/v2/models/mymodel", null, null);
			case VERSION_NOT_SERVED -> {
				assertThat(deploy("{\"version\": \"v2\"}")).hasStatusOk();
				yield exchange(HttpMethod.GET, "/v2/models/churn/versions/v9", null, null);
			}
			case PAYLOAD_TOO_LARGE ->
				exchange(HttpMethod.POST, "/predict", null, "{\"features\": [" + "1,".repeat(40_000) + "1]}");
			case UNSUPPORTED_MEDIA_TYPE ->
				mvc.post().uri("/predict").contentType(MediaType.TEXT_PLAIN).content(FEATURES).exchange();
			default -> throw new IllegalArgumentException("Not provoked here: " + problem);
		};

		assertAnswers(problem, result);
	}

	/**
	 * The service answered {@code problem} as documented: same status, type and title,
	 * and the same detail up to the numbers in it (generations, counts).
	 */
	public static void assertAnswers(ApiProblem problem, MvcTestResult result) {
		assertThat(result).hasStatus(problem.status().value());
		assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(problem.type().toString());
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo(problem.title());
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.satisfies(detail -> assertThat(detail.replaceAll("\\d+", "N"))
				.isEqualTo(problem.detail().replaceAll("\\d+", "N")));
	}

	@Test
	void tokensAreDocumentedAsTheSecurityConfigurationEnforcesThem() {
		JsonNode schemes = apiDocs().at("/components/securitySchemes");
		assertThat(schemes.propertyNames()).containsExactlyInAnyOrder("operator-token", "read-token");
		schemes.values().forEach(scheme -> {
			assertThat(scheme.get("type").asString()).isEqualTo("http");
			assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
		});
		Set<String> readOnly = new HashSet<>(Arrays.asList(AdminAccessRules.READ_ONLY));
		operations((path, method, operation) -> {
			String security = operation.path("security").toString();
			if (path.equals("/predict") || path.equals("/v2/models/{name}/infer")) {
				assertThat(security).as("open, the operator token optional").isEqualTo("[{},{\"operator-token\":[]}]");
			}
			else if (path.startsWith("/v2")) {
				assertThat(security).as(path + ": open").isEqualTo("[{}]");
			}
			else if (method.equals("get")) {
				assertThat(readOnly).contains(path);
				assertThat(security).isEqualTo("[{\"operator-token\":[]},{\"read-token\":[]}]");
				assertThat(exchange(HttpMethod.GET, path, READER, null)).as(path).hasStatusOk();
			}
			else {
				assertThat(security).isEqualTo("[{\"operator-token\":[]}]");
				assertThat(exchange(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)),
						path.replace("{version}", "v9"), READER, method.equals("post") ? "{}" : null))
					.as(path)
					.hasStatus(403);
			}
		});
	}

	@Test
	void theInfoBlockNamesTheBuildAndTheLicence() {
		JsonNode info = apiDocs().get("info");

		assertThat(info.get("title").asString()).isEqualTo("ml-canary");
		assertThat(info.get("version").asString()).isEqualTo(build.getVersion());
		assertThat(info.at("/license/identifier").asString()).isEqualTo("GPL-3.0-or-later");
		assertThat(info.get("description").asString()).contains("problem+json", "snake_case");
	}

	@Test
	void theDocsAreOpenWithoutATokenAndTheAdminEndpointsAreNot() {
		MvcTestResult docs = mvc.get().uri("/docs").exchange();
		assertThat(docs).hasStatus3xxRedirection().redirectedUrl().endsWith("/swagger-ui/index.html");

		MvcTestResult ui = mvc.get().uri(docs.getResponse().getRedirectedUrl()).exchange();
		assertThat(ui).hasStatusOk().contentType().isCompatibleWith(MediaType.TEXT_HTML);
		assertThat(ui).bodyText().contains("swagger-ui");
		assertThat(mvc.get().uri("/swagger-ui/swagger-initializer.js").exchange()).hasStatusOk()
			.bodyText()
			.contains("/v3/api-docs");
		assertThat(mvc.get().uri("/v3/api-docs/swagger-config").exchange()).hasStatusOk();
		assertThat(mvc.get().uri("/v3/api-docs").exchange()).hasStatusOk();

		assertThat(exchange(HttpMethod.GET, "/admin/status", null, null)).hasStatus(401);
		assertThat(exchange(HttpMethod.POST, "/admin/toggle-slowdown", null, null)).hasStatus(401);
		assertThat(exchange(HttpMethod.GET, "/actuator/env", null, null)).hasStatus(401);
		assertThat(apiDocs().get("paths").propertyNames()).noneMatch(path -> path.startsWith("/actuator"));
	}

	private interface OperationCheck {

		void check(String path, String method, JsonNode operation);

	}

	private void operations(OperationCheck check) {
		apiDocs().get("paths")
			.properties()
			.forEach(path -> path.getValue()
				.properties()
				.forEach(operation -> check.check(path.getKey(), operation.getKey(), operation.getValue())));
	}

	private void examplesMatch(String name, JsonNode media) {
		Set<String> properties = resolved(media.get("schema")).get("properties")
			.propertyNames()
			.stream()
			.collect(Collectors.toSet());
		media.get("examples")
			.values()
			.forEach(example -> assertThat(properties).as(name).containsAll(example.get("value").propertyNames()));
	}

	private JsonNode resolved(JsonNode schema) {
		return schema.has("$ref") ? schema(schema.get("$ref").asString().replace("#/components/schemas/", "")) : schema;
	}

	private void assertProperties(String schema, JsonNode answer) {
		assertThat(answer.propertyNames()).as(schema)
			.containsExactlyElementsOf(schema(schema).get("properties").propertyNames());
	}

	private Set<String> properties(String schema) {
		return new TreeSet<>(schema(schema).get("properties").propertyNames());
	}

	/** The fields the service lists when it refuses an unknown one. */
	private Set<String> knownFields(String path, String body) {
		MvcTestResult result = exchange(HttpMethod.POST, path, OPERATOR, body);
		assertThat(result).hasStatus(400);
		Matcher known = KNOWN_FIELDS
			.matcher(json.readTree(result.getResponse().getContentAsByteArray()).get("detail").asString());
		assertThat(known.find()).isTrue();
		return new TreeSet<>(Arrays.asList(known.group(1).split(", ")));
	}

	private JsonNode schema(String name) {
		JsonNode schema = apiDocs().at("/components/schemas/" + name);
		assertThat(schema.isMissingNode()).as(name).isFalse();
		return schema;
	}

	private JsonNode apiDocs() {
		MvcTestResult result = mvc.get().uri("/v3/api-docs").exchange();
		assertThat(result).hasStatusOk();
		return json.readTree(result.getResponse().getContentAsByteArray());
	}

	/** The types of {@link ProblemTypes} and those the features' exceptions carry. */
	private static Set<String> problemTypes() {
		Set<String> types = Arrays.stream(ProblemTypes.class.getDeclaredFields())
			.filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == URI.class)
			.map(ApiDocsTest::value)
			.collect(Collectors.toSet());
		Stream
			.of(DeploymentConflictException.TYPE, PreconditionFailedException.TYPE, StateNotSavedException.TYPE,
					ModelNotFoundException.TYPE, InvalidModelException.TYPE, StoreUnavailableException.TYPE,
					ModelConflictException.VERSION_TAKEN, ModelConflictException.NOT_DELETABLE,
					ModelNotSavedException.TYPE, VersionNotServedException.TYPE, ModelUnavailableException.TYPE,
					URI.create("urn:ml-canary:problem:batch-too-large"))
			.forEach(type -> types.add(type.toString()));
		return types;
	}

	private static String value(Field field) {
		try {
			return field.get(null).toString();
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode get(String path) {
		MvcTestResult result = exchange(HttpMethod.GET, path, READER, null);
		assertThat(result).as(path).hasStatusOk();
		return json.readTree(result.getResponse().getContentAsByteArray());
	}

	private JsonNode post(String path, String authorization, String body) {
		MvcTestResult result = exchange(HttpMethod.POST, path, authorization, body);
		assertThat(result).as(path).hasStatusOk();
		return json.readTree(result.getResponse().getContentAsByteArray());
	}

	private MvcTestResult infer(String body) {
		MvcTestResult result = exchange(HttpMethod.POST, "/v2/models/churn/infer", null, body);
		assertThat(result).bodyJson()
			.extractingPath("$.error")
			.isEqualTo(json.readTree(result.getResponse().getContentAsByteArray()).get("detail").asString());
		return result;
	}

	private static String inputs(String tensor) {
		return "{\"inputs\": [" + tensor + "]}";
	}

	private static String tensor(String name, String shape, String datatype, String data) {
		return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", \"data\": "
				+ data + "}";
	}

	private MvcTestResult deploy(String body) {
		return exchange(HttpMethod.POST, "/admin/deploy-canary", OPERATOR, body);
	}

	private MvcTestResult predict(String header, String value, String authorization) {
		var request = mvc.post()
			.uri("/predict")
			.header(header, value)
			.contentType(MediaType.APPLICATION_JSON)
			.content(FEATURES);
		return (authorization == null ? request : request.header("Authorization", authorization)).exchange();
	}

	private MvcTestResult exchange(HttpMethod method, String path, String authorization, String body) {
		return TestRequests.call(mvc, method, path, authorization, body);
	}

}
