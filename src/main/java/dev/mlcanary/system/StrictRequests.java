package dev.mlcanary.system;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A request says exactly what it means, for every controller method: each of the method's
 * {@code @RequestParam} parameters is given at most once and never empty. Spring MVC would take
 * {@code ?alpha=} as "no value" (the default) and {@code ?effect_size=0.5&effect_size=0.6} as the
 * first value, or join them with a comma; either way the caller would get an answer to a question
 * they did not ask. Runs after the security filters (an unauthenticated caller still gets 401) and
 * before any argument is converted; a refusal is a {@link BadRequestException} that names the
 * parameter. Parameters a method does not declare are not looked at.
 */
final class StrictRequests implements HandlerInterceptor {

	private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

	/** The {@code @RequestParam} names of each controller method, looked up once. */
	private final Map<Method, List<String>> parameters = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method) || request.getDispatcherType() != DispatcherType.REQUEST) {
			return true;
		}
		for (String name : parameters.computeIfAbsent(method.getMethod(), m -> requestParameters(method))) {
			String[] values = request.getParameterValues(name);
			if (values == null) {
				continue;
			}
			if (values.length > 1) {
				throw BadRequestException.because("Parameter '" + name + "' is given " + values.length + " times; give it once.");
			}
			if (values[0].isBlank()) {
				throw BadRequestException.because("Parameter '" + name + "' is empty; give it a value or leave it out.");
			}
		}
		return true;
	}

	private static List<String> requestParameters(HandlerMethod method) {
		return Arrays.stream(method.getMethodParameters())
			.filter(p -> p.hasParameterAnnotation(RequestParam.class) && !Map.class.isAssignableFrom(p.getParameterType()))
			.map(StrictRequests::name)
			.toList();
	}

	/** The name Spring MVC binds: the annotation's, else the Java parameter's (compiled with -parameters). */
	static String name(MethodParameter parameter) {
		RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
		if (annotation != null && !annotation.name().isEmpty()) {
			return annotation.name();
		}
		MethodParameter named = parameter.clone();
		named.initParameterNameDiscovery(NAMES);
		String name = named.getParameterName();
		if (name == null) {
			throw new IllegalStateException("No name for " + parameter + ": name the @RequestParam or compile with -parameters");
		}
		return name;
	}

}
