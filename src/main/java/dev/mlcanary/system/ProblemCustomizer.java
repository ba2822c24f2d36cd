package dev.mlcanary.system;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ProblemDetail;

/**
 * Adds members to the problems answered on a feature's paths (the Open Inference
 * Protocol's {@code error} beside {@code detail}, say). Each bean is applied to every
 * problem that Spring MVC writes, and to the 413 of {@link RequestSizeLimitFilter}.
 */
@FunctionalInterface
public interface ProblemCustomizer {

	void customize(HttpServletRequest request, ProblemDetail problem);

}
