package dev.mlcanary.system;

import java.net.URI;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.mlcanary.analysis.InvalidPowerAnalysisException;
import dev.mlcanary.deployment.DeploymentConflictException;
import dev.mlcanary.deployment.StateNotSavedException;
import dev.mlcanary.model.InvalidModelException;
import dev.mlcanary.model.ModelNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where failures become answers: every error is RFC 9457 problem+json with a fixed
 * {@code type} and a {@code detail} that tells the caller what to fix. Spring MVC's own errors (415,
 * 405, 404 ...) come from the base class in the same format. A 500 never shows an exception message.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	@ExceptionHandler(BadRequestException.class)
	ProblemDetail badRequest(BadRequestException ex) {
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", ex.getMessage());
	}

	@ExceptionHandler(AdminAccessException.class)
	ResponseEntity<ProblemDetail> adminAccess(AdminAccessException ex) {
		boolean unauthenticated = ex.status() == HttpStatus.UNAUTHORIZED;
		ProblemDetail body = problem(ex.status(), unauthenticated ? ProblemTypes.UNAUTHORIZED : ProblemTypes.FORBIDDEN,
				ex.status().getReasonPhrase(), ex.getMessage());
		var response = ResponseEntity.status(ex.status());
		if (unauthenticated) {
			response = response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ml-canary\"");
		}
		return response.body(body);
	}

	@ExceptionHandler(InvalidPowerAnalysisException.class)
	ProblemDetail invalidPowerAnalysis(InvalidPowerAnalysisException ex) {
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", ex.getMessage());
	}

	@ExceptionHandler(ModelNotFoundException.class)
	ProblemDetail modelNotFound(ModelNotFoundException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ProblemTypes.MODEL_NOT_FOUND, "Model not found", ex.getMessage());
		problem.setProperty("available_versions", ex.availableVersions());
		return problem;
	}

	@ExceptionHandler(InvalidModelException.class)
	ProblemDetail invalidModel(InvalidModelException ex) {
		if (ex.getCause() != null) {
			log.warn("Refused a model: {} ({})", ex.getMessage(), ex.getCause().toString());
		}
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_MODEL, "Invalid model", ex.getMessage());
	}

	@ExceptionHandler(DeploymentConflictException.class)
	ProblemDetail conflict(DeploymentConflictException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.DEPLOYMENT_CONFLICT, "Deployment conflict", ex.getMessage());
	}

	/** The deployment service has logged the cause; the caller learns that nothing changed. */
	@ExceptionHandler(StateNotSavedException.class)
	ProblemDetail stateNotSaved(StateNotSavedException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.STATE_NOT_SAVED, "State not saved", ex.getMessage());
	}

	@ExceptionHandler(RuntimeException.class)
	ProblemDetail unexpected(RuntimeException ex) {
		BadRequestException bad = find(ex, BadRequestException.class);
		if (bad != null) {
			return badRequest(bad);
		}
		log.error("Unexpected error", ex);
		ProblemDetail problem = ProblemResponses.internalError();
		remember(problem.getDetail());
		return problem;
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		PayloadTooLargeException tooLarge = find(ex, PayloadTooLargeException.class);
		if (tooLarge != null) {
			ProblemDetail body = problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Content Too Large",
					tooLarge.getMessage());
			return handleExceptionInternal(ex, body, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		BadRequestException bad = find(ex, BadRequestException.class);
		ProblemDetail body = bad != null ? badRequest(bad) : unreadable(ex);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
		String expected = ex.getRequiredType() == null ? "a value of another type" : expected(ex.getRequiredType());
		ProblemDetail body = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request",
				"Parameter '" + name + "' must be " + expected + ", got '" + ex.getValue() + "'.");
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String path = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI()
				: "/" + ex.getResourcePath();
		ProblemDetail body = problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not Found", "No endpoint "
				+ ex.getHttpMethod() + " " + path + ". " + ProblemTypes.API_SUMMARY);
		return handleExceptionInternal(ex, body, headers, HttpStatus.NOT_FOUND, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String sent = ex.getContentType() == null ? "no Content-Type" : "Content-Type '" + ex.getContentType() + "'";
		ProblemDetail body = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
				"Unsupported Media Type", "The request has " + sent + "; send a JSON body with 'Content-Type: application/json'.");
		return handleExceptionInternal(ex, body, headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpRequestMethodNotSupported(
			HttpRequestMethodNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String allowed = ex.getSupportedHttpMethods() == null ? "another method"
				: ex.getSupportedHttpMethods().stream().map(Object::toString).sorted().collect(Collectors.joining(" or "));
		ProblemDetail body = problem(HttpStatus.METHOD_NOT_ALLOWED, ProblemTypes.METHOD_NOT_ALLOWED, "Method Not Allowed",
				"Method " + ex.getMethod() + " is not supported here; use " + allowed + ".");
		return handleExceptionInternal(ex, body, headers, HttpStatus.METHOD_NOT_ALLOWED, request);
	}

	/** Spring's own problems (406, 400 for a missing parameter, ...) get a fixed type too. */
	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			if (URI.create("about:blank").equals(problem.getType())) {
				problem.setType(ProblemTypes.forStatus(statusCode.value()));
			}
			remember(problem.getDetail());
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		if (cause == null) {
			String message = String.valueOf(ex.getMessage());
			String detail = message.startsWith("Required request body is missing")
					? "The request body is empty; send a JSON object." : "The request body could not be read.";
			return problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed request body", detail);
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			String known = unknown.getKnownPropertyIds() == null ? ""
					: " Known fields: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
						.collect(Collectors.joining(", ")) + ".";
			return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request",
					"Unknown field \"" + unknown.getPropertyName() + "\"." + known);
		}
		if (cause instanceof MismatchedInputException mismatch) {
			String path = path(mismatch);
			String detail = path.isEmpty() ? "The request body must be a JSON object."
					: "Field \"" + path + "\" must be " + expected(mismatch.getTargetType()) + ".";
			return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
		}
		if (cause instanceof StreamReadException parse) {
			String where = parse.getLocation() == null ? ""
					: String.format(Locale.ROOT, " at line %d, column %d", parse.getLocation().getLineNr(),
							parse.getLocation().getColumnNr());
			return problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed JSON",
					"The request body is not valid JSON" + where + ": " + describeParseError(parse.getOriginalMessage()));
		}
		String reason = cause instanceof JacksonException jackson ? ": " + describeParseError(jackson.getOriginalMessage()) : ".";
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed request body",
				"The request body could not be read as JSON" + reason);
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference ref : ex.getPath()) {
			if (ref.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
			}
			else if (ref.getIndex() >= 0) {
				path.append('[').append(ref.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String expected(@Nullable Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "a JSON object";
	}

	/** Jackson's parse message without its internals (source descriptions, feature names). */
	static String describeParseError(@Nullable String message) {
		if (message == null) {
			return "unexpected input.";
		}
		if (message.startsWith("Non-standard token")) {
			return "NaN and Infinity are not JSON numbers; send finite numbers.";
		}
		if (message.startsWith("Number value length")) {
			return "a number in the body has too many digits.";
		}
		String line = message.lines().findFirst().orElse("");
		int internals = line.indexOf(" (start marker");
		if (internals < 0) {
			internals = line.indexOf(": was expecting");
		}
		return (internals < 0 ? line : line.substring(0, internals)) + ".";
	}

	private static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return null;
	}

	/** Leaves the detail on the request for the audit trail. */
	private static void remember(@Nullable String detail) {
		var attributes = RequestContextHolder.getRequestAttributes();
		if (attributes != null && detail != null) {
			attributes.setAttribute(RequestAttributes.PROBLEM_DETAIL, detail,
					org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
		}
	}

	private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
		remember(detail);
		return ProblemResponses.problem(status, type, title, detail);
	}

}
