package dev.mlcanary.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors the servlet container raises outside Spring MVC (a request body that arrives too
 * slowly, for example) reach {@code /error}; answer them in the same problem+json form as
 * everything else, never with a stack trace or an exception message.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
				? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
		ProblemDetail problem = ProblemResponses.problem(status, ProblemTypes.forStatus(status.value()),
				ProblemTypes.titleFor(status.value()), detailFor(status));
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		problem.setInstance(ProblemResponses.instance(uri instanceof String path ? path : null));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static String detailFor(HttpStatus status) {
		return switch (status) {
			case REQUEST_TIMEOUT -> "The request was not received in time; send the whole request within 10 seconds.";
			case NOT_FOUND -> "No such endpoint. " + ProblemTypes.API_SUMMARY;
			case INTERNAL_SERVER_ERROR -> "The server failed to handle this request; the error has been logged.";
			default -> "The request could not be handled (" + status.getReasonPhrase() + ").";
		};
	}

}
