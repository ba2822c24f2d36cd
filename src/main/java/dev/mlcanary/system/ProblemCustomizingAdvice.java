package dev.mlcanary.system;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Applies the {@link ProblemCustomizer} beans to every problem Spring MVC writes, from
 * the advice as from a controller: one place, whichever handler built the problem.
 */
@RestControllerAdvice
class ProblemCustomizingAdvice implements ResponseBodyAdvice<Object> {

	private final List<ProblemCustomizer> customizers;

	ProblemCustomizingAdvice(List<ProblemCustomizer> customizers) {
		this.customizers = customizers;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return !customizers.isEmpty();
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem && request instanceof ServletServerHttpRequest servlet) {
			customizers.forEach(customizer -> customizer.customize(servlet.getServletRequest(), problem));
		}
		return body;
	}

}
