package dev.mlcanary.apidocs;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mlcanary.system.AdminAccessRules;
import dev.mlcanary.system.ProblemTypes;

import org.springframework.http.HttpStatus;

/**
 * The refusals the API documentation shows, one constant per kind of problem an endpoint
 * really answers: its status, its fixed {@code type} from {@link ProblemTypes}, its
 * {@code title} and a {@code detail} copied from a real answer. Controllers name the ones
 * they can produce with {@link ApiProblems}; {@code ApiDocsTest} provokes each one and
 * compares it with what the service says, so the examples in {@code /v3/api-docs} stay
 * true.
 */
public enum ApiProblem {

	// Invalid requests (400): the detail names what to fix.
	INVALID_FEATURES(Kind.INVALID_REQUEST,
			"\"features\" must hold exactly 5 numbers (support_calls, monthly_charges, contract_length, usage_decline, payment_delays), got 4."),
	UNKNOWN_FIELD(Kind.INVALID_REQUEST, "Unknown field \"extra\". Known fields: features."),
	UNKNOWN_DEPLOY_FIELD(Kind.INVALID_REQUEST,
			"Unknown field \"colour\". Known fields: expected_generation, model_path, strategy, version, weight."),
	MALFORMED_JSON(Kind.MALFORMED_JSON,
			"The request body is not valid JSON at line 1, column 23: NaN and Infinity are not JSON numbers; send finite numbers."),
	INVALID_ROUTE(Kind.INVALID_REQUEST, "X-Canary-Route must be \"canary\" or \"stable\", was \"sideways\"."),
	INVALID_REQUEST_KEY(Kind.INVALID_REQUEST, "X-Request-Key must be 1 to 256 characters."),
	INVALID_DEPLOY(Kind.INVALID_REQUEST,
			"Give exactly one of \"version\" (e.g. \"v2\") or \"model_path\" (e.g. \"models/model_v2.ser\")."),
	INVALID_WEIGHT(Kind.INVALID_REQUEST, "weight must be a number greater than 0 and at most 1, was 1.5."),
	INVALID_STRATEGY(Kind.INVALID_REQUEST,
			"strategy.interval must be a whole number of seconds between 1s and 1h, got 2h."),
	INVALID_MODEL(Kind.INVALID_MODEL,
			"model_path '../../etc/passwd' is outside the model directory; give a version "
					+ "(\"v2\") or a file inside it (\"models/model_v2.ser\")."),
	INVALID_IF_MATCH(Kind.INVALID_REQUEST,
			"If-Match must be the generation from the ETag of /admin/status, quoted or bare "
					+ "(If-Match: \"7\" or If-Match: 7), got 'abc'."),
	INVALID_MODE(Kind.INVALID_REQUEST, "mode must be \"fixed\" or \"sequential\", was \"bayesian\"."),
	INVALID_POWER_ANALYSIS(Kind.INVALID_REQUEST, "alpha must be a number greater than 0 and less than 1, but was 1.5."),
	INVALID_LIMIT(Kind.INVALID_REQUEST, "limit must be between 1 and 10000, was 0."),
	// Any query parameter: the details name EXAMPLE_PARAMETER, which each endpoint's docs
	// replace with one of its own.
	EMPTY_PARAMETER(Kind.INVALID_REQUEST, "Parameter 'limit' is empty; give it a value or leave it out."),
	REPEATED_PARAMETER(Kind.INVALID_REQUEST, "Parameter 'limit' is given 2 times; give it once."),
	// Any POST without a request body of its own.
	UNEXPECTED_BODY(Kind.INVALID_REQUEST, "This endpoint takes no request body; send the request without one."),

	// The Open Inference Protocol (400, 404, 413, 503): each also carries the protocol's
	// "error" member, the same text as "detail" (ApiDocsConfiguration adds it to the
	// examples of /v2 paths).
	INFER_INVALID_INPUTS(Kind.INVALID_REQUEST, "\"inputs\" must hold exactly one input, \"features\"; got 2."),
	INFER_UNKNOWN_INPUT(Kind.INVALID_REQUEST, "Unknown input \"input0\"; the model takes one input, \"features\"."),
	INFER_INVALID_DATATYPE(Kind.INVALID_REQUEST, "Input \"features\" has datatype \"UINT32\"; send FP64 or FP32."),
	INFER_INVALID_SHAPE(Kind.INVALID_REQUEST,
			"Input \"features\" has shape [2, 2]; the model takes [N, 5]: N >= 1 rows of 5 features."),
	INFER_INVALID_DATA_LENGTH(Kind.INVALID_REQUEST,
			"Input \"features\" holds 4 numbers in \"data\" for shape [1, 5], which needs 5."),
	INFER_INVALID_NUMBER(Kind.INVALID_REQUEST,
			"Input \"features\" data[7] (row 1, contract_length) must be a finite number between -1e6 and 1e6, got 1.0E7."),
	INFER_NOT_A_NUMBER(Kind.INVALID_REQUEST, "data[1] must be a number, got a string."),
	INFER_UNKNOWN_OUTPUT(Kind.INVALID_REQUEST,
			"Unknown output \"output0\"; the model produces one output, \"churn_probability\"."),
	INFER_UNKNOWN_FIELD(Kind.INVALID_REQUEST,
			"Unknown field \"extra\". Known fields: id, inputs, outputs, parameters."),
	INFER_BATCH_TOO_LARGE(Kind.BATCH_TOO_LARGE,
			"A batch holds at most 10000 rows; this one has 10001: split it into smaller requests."),
	INFER_UNKNOWN_MODEL(Kind.MODEL_NOT_FOUND, "Unknown model 'mymodel'; this server serves one model, 'churn'."),
	VERSION_NOT_SERVED(Kind.VERSION_NOT_SERVED,
			"Version 'v9' is not being served; the serving versions are v1 (stable), v2 (canary)."),
	MODEL_UNAVAILABLE(Kind.MODEL_UNAVAILABLE,
			"The stable model v1 failed to score this batch, so nothing was served; the cause is in the service log."),

	// Admin rights (401, 403).
	UNAUTHORIZED(Kind.UNAUTHORIZED, "This endpoint needs an admin token: send 'Authorization: Bearer <token>'."),
	READ_TOKEN_MAY_NOT_CHANGE(Kind.FORBIDDEN, AdminAccessRules.READ_TOKEN_REFUSED),
	LOOPBACK_ONLY(Kind.FORBIDDEN,
			"Admin endpoints answer only loopback clients because no admin token is configured; "
					+ "set CANARY_ADMIN_TOKEN on the service and send 'Authorization: Bearer <token>'."),
	ROUTE_NEEDS_TOKEN(Kind.UNAUTHORIZED, "X-Canary-Route needs the admin token: send 'Authorization: Bearer <token>'."),
	ROUTE_NEEDS_OPERATOR(Kind.FORBIDDEN, "X-Canary-Route needs the operator token, not the read-only token."),
	ROUTE_LOOPBACK_ONLY(Kind.FORBIDDEN,
			"X-Canary-Route is allowed only from loopback clients while no admin token is configured."),

	// The deployment (404, 409, 412, 503): nothing changed.
	MODEL_NOT_FOUND(Kind.MODEL_NOT_FOUND, "Unknown model version 'v9'. Available versions: v1, v2, v3."),
	INVALID_MODEL_DOCUMENT(Kind.INVALID_MODEL, "Model document field /coefficients/3 must be a finite number."),
	MODEL_VERSION_TAKEN(Kind.MODEL_CONFLICT_VERSION_TAKEN,
			"Version v2 already holds a model of the model directory; a version names one model for good "
					+ "(deployments, metrics and the audit trail refer to it). Upload this one under a new version."),
	MODEL_NOT_DELETABLE(Kind.MODEL_CONFLICT_NOT_DELETABLE,
			"Model v2 (models/model_v2.ser) is a model of the model directory, bundled or placed there by an "
					+ "operator, not an upload; the API deletes only the models it stored. Remove its files from the "
					+ "directory instead."),
	MODEL_NOT_SAVED(Kind.MODEL_NOT_SAVED, "Model v4 was not stored: the model directory /srv/ml-canary/models cannot "
			+ "be written, so nothing changed. The cause is in the service log; retry once the directory is writable."),
	MODEL_NOT_STORED_IN_STORE(Kind.STORE_UNAVAILABLE,
			"Model v4 was not stored: the PostgreSQL store cannot be used (" + ApiProblem.EXAMPLE_CAUSE + ")."),
	MODEL_SERVING(Kind.CONFLICT, "v4 is the canary; roll it back or promote it before deleting it."),
	CANARY_ALREADY_DEPLOYED(Kind.CONFLICT,
			"Canary v2 is already deployed; promote or roll it back before deploying another."),
	ALREADY_STABLE(Kind.CONFLICT, "v1 is the stable version already; deploy a different version as canary."),
	GENERATION_CHANGED(Kind.CONFLICT,
			"The deployment changed: generation is now 7, the request expected 5; re-read /admin/status and retry."),
	STALE_IF_MATCH(Kind.PRECONDITION_FAILED,
			"The deployment changed: generation is now 7, the request expected 5; re-read /admin/status and retry."),
	NO_CANARY_TO_PROMOTE(Kind.CONFLICT, "No canary is deployed, so there is nothing to promote."),
	NO_CANARY_TO_ROLL_BACK(Kind.CONFLICT, "No canary is deployed, so there is nothing to roll back."),
	NO_CANARY_TO_ROUTE_TO(Kind.CONFLICT,
			"X-Canary-Route: canary was requested, but no canary is deployed; deploy one or drop the header."),
	STATE_NOT_SAVED(Kind.STATE_NOT_SAVED, "The change was not applied: the deployment state could not be saved to "
			+ "state/deployment.json, so the deployment is unchanged. The cause is in the service log; retry once the "
			+ "state directory is writable."),
	// Fleet mode only (canary.store=postgres): the database cannot be used. The cause in
	// parentheses is the driver's own first line; the tests compare the rest.
	STORE_UNAVAILABLE(Kind.STORE_UNAVAILABLE,
			"The change was not applied: the PostgreSQL store cannot be used (" + ApiProblem.EXAMPLE_CAUSE
					+ "), so the deployment is unchanged. /predict keeps serving it; retry once the database is back."),
	SAMPLES_NOT_POOLED(Kind.STORE_UNAVAILABLE,
			"The fleet's samples cannot be pooled, so nothing was judged (this replica's samples alone are only its "
					+ "share of the traffic): the PostgreSQL store cannot be used (" + ApiProblem.EXAMPLE_CAUSE + ")."),
	EVENTS_UNAVAILABLE(Kind.STORE_UNAVAILABLE,
			"The audit trail cannot be read: the PostgreSQL store cannot be used (" + ApiProblem.EXAMPLE_CAUSE + ")."),

	// Any JSON body (413, 415).
	PAYLOAD_TOO_LARGE(Kind.PAYLOAD_TOO_LARGE, "The request body is larger than the limit of 65536 bytes."),
	UNSUPPORTED_MEDIA_TYPE(Kind.UNSUPPORTED_MEDIA_TYPE,
			"The request has Content-Type 'text/plain'; send a JSON body with 'Content-Type: application/json'.");

	/**
	 * Status, type and title belong together: the kinds of problem of
	 * {@link ProblemTypes}, and those the features' exceptions carry (written out here,
	 * as a client reads them; {@code ApiDocsTest} checks each against a real answer).
	 */
	private record Kind(HttpStatus status, URI type, String title) {

		static final Kind INVALID_REQUEST = new Kind(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST,
				"Invalid request");

		static final Kind MALFORMED_JSON = new Kind(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON,
				"Malformed JSON");

		static final Kind INVALID_MODEL = new Kind(HttpStatus.BAD_REQUEST,
				URI.create("urn:ml-canary:problem:invalid-model"), "Invalid model");

		static final Kind UNAUTHORIZED = new Kind(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, "Unauthorized");

		static final Kind FORBIDDEN = new Kind(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden");

		static final Kind MODEL_NOT_FOUND = new Kind(HttpStatus.NOT_FOUND,
				URI.create("urn:ml-canary:problem:model-not-found"), "Model not found");

		static final Kind CONFLICT = new Kind(HttpStatus.CONFLICT,
				URI.create("urn:ml-canary:problem:deployment-conflict"), "Deployment conflict");

		static final Kind MODEL_CONFLICT_VERSION_TAKEN = new Kind(HttpStatus.CONFLICT,
				URI.create("urn:ml-canary:problem:model-version-taken"), "Model version taken");

		static final Kind MODEL_CONFLICT_NOT_DELETABLE = new Kind(HttpStatus.CONFLICT,
				URI.create("urn:ml-canary:problem:model-not-deletable"), "Model not deletable");

		static final Kind PRECONDITION_FAILED = new Kind(HttpStatus.PRECONDITION_FAILED,
				URI.create("urn:ml-canary:problem:precondition-failed"), "Precondition Failed");

		static final Kind PAYLOAD_TOO_LARGE = new Kind(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
				"Content Too Large");

		static final Kind UNSUPPORTED_MEDIA_TYPE = new Kind(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type");

		static final Kind STORE_UNAVAILABLE = new Kind(HttpStatus.SERVICE_UNAVAILABLE,
				URI.create("urn:ml-canary:problem:store-unavailable"), "Store unavailable");

		static final Kind MODEL_NOT_SAVED = new Kind(HttpStatus.SERVICE_UNAVAILABLE,
				URI.create("urn:ml-canary:problem:model-not-saved"), "Model not saved");

		static final Kind BATCH_TOO_LARGE = new Kind(HttpStatus.CONTENT_TOO_LARGE,
				URI.create("urn:ml-canary:problem:batch-too-large"), "Batch too large");

		static final Kind VERSION_NOT_SERVED = new Kind(HttpStatus.NOT_FOUND,
				URI.create("urn:ml-canary:problem:version-not-served"), "Version not served");

		static final Kind MODEL_UNAVAILABLE = new Kind(HttpStatus.SERVICE_UNAVAILABLE,
				URI.create("urn:ml-canary:problem:model-unavailable"), "Model unavailable");

		static final Kind STATE_NOT_SAVED = new Kind(HttpStatus.SERVICE_UNAVAILABLE,
				URI.create("urn:ml-canary:problem:state-not-saved"), "State not saved");

	}

	/**
	 * The query parameter that the details of {@link #EMPTY_PARAMETER} and
	 * {@link #REPEATED_PARAMETER} name.
	 */
	static final String EXAMPLE_PARAMETER = "limit";

	/**
	 * The cause that the examples of {@link #STORE_UNAVAILABLE},
	 * {@link #SAMPLES_NOT_POOLED} and {@link #EVENTS_UNAVAILABLE} name: the driver's
	 * words for a database that is down.
	 */
	public static final String EXAMPLE_CAUSE = "Connection to 127.0.0.1:5432 refused. Check that the hostname and "
			+ "port are correct and that the postmaster is accepting TCP/IP connections";

	/**
	 * A real answer's detail with the driver's cause replaced by {@link #EXAMPLE_CAUSE},
	 * to compare with the examples of the store's problems.
	 */
	public static String withExampleCause(String detail) {
		return detail.replaceFirst("cannot be used \\(.*\\)", "cannot be used (" + EXAMPLE_CAUSE + ")");
	}

	private final Kind kind;

	private final String detail;

	ApiProblem(Kind kind, String detail) {
		this.kind = kind;
		this.detail = detail;
	}

	public HttpStatus status() {
		return kind.status();
	}

	public URI type() {
		return kind.type();
	}

	public String title() {
		return kind.title();
	}

	public String detail() {
		return detail;
	}

	/**
	 * The problem as the service sends it for a request to {@code path}: a new map each
	 * time.
	 * @param path the request path, shown as {@code instance}
	 */
	public Map<String, Object> body(String path) {
		return body(path, EXAMPLE_PARAMETER);
	}

	/**
	 * The problem as the service sends it for a request to {@code path} whose query
	 * parameter {@code parameter} is at fault (for the problems of any query parameter;
	 * others ignore it).
	 */
	Map<String, Object> body(String path, String parameter) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", kind.type().toString());
		body.put("title", kind.title());
		body.put("status", kind.status().value());
		body.put("detail", detail.replace("'" + EXAMPLE_PARAMETER + "'", "'" + parameter + "'"));
		body.put("instance", path);
		if (this == MODEL_NOT_FOUND) {
			body.put("available_versions", List.of("v1", "v2", "v3"));
		}
		if (this == INFER_BATCH_TOO_LARGE) {
			body.put("max_batch_rows", 10_000);
		}
		return body;
	}

}
