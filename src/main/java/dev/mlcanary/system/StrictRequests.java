package dev.mlcanary.system;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A request says exactly what it means, for every controller method: each of the method's
 * {@code @RequestParam} parameters is given at most once and never empty, and a method
 * without a {@code @RequestBody} gets no body (except on GET and HEAD, where a body has
 * no meaning anyway). Spring MVC would take {@code ?alpha=} as "no value" (the default),
 * {@code ?effect_size=0.5&effect_size=0.6} as the first value, or join them with a comma,
 * and would ignore <code>{{{</code> sent to {@code POST /admin/toggle-slowdown}; each
 * time the caller would get an answer to a question they did not ask. Runs after the
 * security filters (an unauthenticated caller still gets 401) and before any argument is
 * converted or any body read, so a refused change changes nothing; a refusal is a
 * {@link BadRequestException} that says what to leave out. Parameters a method does not
 * declare are not looked at.
 */
final class StrictRequests implements HandlerInterceptor {

	/** The refusal of a body sent to an endpoint that takes none. */
	static final String NO_BODY = "This endpoint takes no request body; send the request without one.";

	private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

	private static final Set<String> BODY_IGNORED = Set.of("GET", "HEAD");

	/** Whether each controller method reads a body, looked up once. */
	private final Map<Method, Boolean> bodies = new ConcurrentHashMap<>();

	/** The {@code @RequestParam} names of each controller method, looked up once. */
	private final Map<Method, List<String>> parameters = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (!(handler instanceof HandlerMethod method) || request.getDispatcherType() != DispatcherType.REQUEST) {
			return true;
		}
		// Before the parameters, since reading those would consume a form body; and only
		// for a method that reads none, since looking into a chunked body takes its first
		// byte.
		if (!BODY_IGNORED.contains(request.getMethod())
				&& !bodies.computeIfAbsent(method.getMethod(), m -> readsBody(method)) && hasBody(request)) {
			throw BadRequestException.because(NO_BODY);
		}
		for (String name : parameters.computeIfAbsent(method.getMethod(), m -> requestParameters(method))) {
			String[] values = request.getParameterValues(name);
			if (values == null) {
				continue;
			}
			if (values.length > 1) {
				throw BadRequestException
					.because("Parameter '" + name + "' is given " + values.length + " times; give it once.");
			}
			if (values[0].isBlank()) {
				throw BadRequestException
					.because("Parameter '" + name + "' is empty; give it a value or leave it out.");
			}
		}
		return true;
	}

	/**
	 * Whether the request has a body: a length over 0, or a chunked body with at least
	 * one byte.
	 */
	private static boolean hasBody(HttpServletRequest request) throws IOException {
		long length = request.getContentLengthLong();
		if (length >= 0) {
			return length > 0;
		}
		return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null && request.getInputStream().read() >= 0;
	}

	private static boolean readsBody(HandlerMethod method) {
		return Arrays.stream(method.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
	}

	private static List<String> requestParameters(HandlerMethod method) {
		return Arrays.stream(method.getMethodParameters())
			.filter(p -> p.hasParameterAnnotation(RequestParam.class)
					&& !Map.class.isAssignableFrom(p.getParameterType()))
			.map(StrictRequests::name)
			.toList();
	}

	/**
	 * The name Spring MVC binds: the annotation's, else the Java parameter's (compiled
	 * with -parameters).
	 */
	static String name(MethodParameter parameter) {
		RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
		if (annotation != null && !annotation.name().isEmpty()) {
			return annotation.name();
		}
		MethodParameter named = parameter.clone();
		named.initParameterNameDiscovery(NAMES);
		String name = named.getParameterName();
		if (name == null) {
			throw new IllegalStateException(
					"No name for " + parameter + ": name the @RequestParam or compile with -parameters");
		}
		return name;
	}

}
