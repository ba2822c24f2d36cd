package dev.mlcanary.system;

import java.net.URI;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where failures become answers: every error is RFC 9457 problem+json with
 * a fixed {@code type} and a {@code detail} that tells the caller what to fix. Spring
 * MVC's own errors (415, 405, 404 ...) come from the base class in the same format. A 500
 * never shows an exception message.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	/**
	 * Every feature's refusal. A 4xx with a cause (a model file that failed its checks)
	 * logs the cause once at WARN; a 5xx's cause was logged where it happened.
	 */
	@ExceptionHandler(ProblemException.class)
	ProblemDetail refused(ProblemException ex) {
		if (ex.getCause() != null && ex.status().is4xxClientError()) {
			log.warn("Refused: {} ({})", ex.getMessage(), ex.getCause().toString());
		}
		ProblemDetail problem = problem(ex.status(), ex.type(), ex.title(), ex.getMessage());
		ex.properties().forEach(problem::setProperty);
		return problem;
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

	@ExceptionHandler(RuntimeException.class)
	ProblemDetail unexpected(RuntimeException ex) {
		ProblemException refusal = find(ex, ProblemException.class);
		if (refusal != null) {
			return refused(refusal);
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
			ProblemDetail body = problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
					"Content Too Large", tooLarge.getMessage());
			return handleExceptionInternal(ex, body, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		ProblemException refusal = find(ex, ProblemException.class);
		ProblemDetail body = refusal != null ? refused(refusal) : unreadable(ex);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	/**
	 * A parameter that is not of its type. A whole number too large for its type (as
	 * {@code limit=99999999999999}) is out of range, and said so with the parameter's
	 * range.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
		String expected = ex.getRequiredType() == null ? "a value of another type"
				: JsonErrorDetails.expected(ex.getRequiredType());
		String detail = "Parameter '" + name + "' must be " + expected + ", got '" + ex.getValue() + "'.";
		if (ex instanceof MethodArgumentTypeMismatchException m && ex.getValue() instanceof String value
				&& ParameterRanges.isWholeNumber(value)) {
			detail = ParameterRanges.outOfRange(name, m.getParameter(), value).orElse(detail);
		}
		ProblemDetail body = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	/**
	 * A parameter outside the range its {@code @Min}/{@code @Max} declare
	 * ({@code limit=0}), in the same words as one too large for its type.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String detail = ex.getParameterValidationResults()
			.stream()
			.findFirst()
			.map(ParameterRanges::describe)
			.orElse("The request is invalid.");
		ProblemDetail body = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String path = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI()
				: "/" + ex.getResourcePath();
		ProblemDetail body = problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not Found",
				"No endpoint " + ex.getHttpMethod() + " " + path + ". " + ProblemTypes.API_SUMMARY);
		return handleExceptionInternal(ex, body, headers, HttpStatus.NOT_FOUND, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String sent = ex.getContentType() == null ? "no Content-Type" : "Content-Type '" + ex.getContentType() + "'";
		ProblemDetail body = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
				"Unsupported Media Type",
				"The request has " + sent + "; send a JSON body with 'Content-Type: application/json'.");
		return handleExceptionInternal(ex, body, headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpRequestMethodNotSupported(
			HttpRequestMethodNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String allowed = ex.getSupportedHttpMethods() == null ? "another method"
				: ex.getSupportedHttpMethods()
					.stream()
					.map(Object::toString)
					.sorted()
					.collect(Collectors.joining(" or "));
		ProblemDetail body = problem(HttpStatus.METHOD_NOT_ALLOWED, ProblemTypes.METHOD_NOT_ALLOWED,
				"Method Not Allowed", "Method " + ex.getMethod() + " is not supported here; use " + allowed + ".");
		return handleExceptionInternal(ex, body, headers, HttpStatus.METHOD_NOT_ALLOWED, request);
	}

	/**
	 * Spring's own problems (406, 400 for a missing parameter, ...) get a fixed type too.
	 */
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

	/**
	 * A body Jackson could not read, in words the caller can act on
	 * ({@link JsonErrorDetails}).
	 */
	private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		JsonErrorDetails.Described d = JsonErrorDetails.describe(ex);
		return problem(HttpStatus.BAD_REQUEST, d.type(), d.title(), d.detail());
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
