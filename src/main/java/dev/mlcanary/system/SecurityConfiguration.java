package dev.mlcanary.system;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what. {@code /predict}, {@code /actuator/health} (with its probes) and
 * {@code /actuator/info} are open. Every {@code /admin/**} call and every other actuator
 * endpoint needs {@code Authorization: Bearer <token>}: the operator token for
 * everything, the optional read token for the read-only admin endpoints. With no token
 * configured, admin endpoints answer loopback clients only (and startup says so in one
 * WARN line). The dashboard ({@code /}, its static files and {@code /webjars/**}) is
 * open: it holds no data, and calls the admin API with the token the operator types into
 * it. The API docs ({@code /docs}, {@code /v3/api-docs}) are open. Every answer that
 * passes through this chain carries a Content-Security-Policy.
 *
 * <p>
 * {@code POST /predict} does not pass through this filter chain: it is open, and the
 * chain's security matcher leaves out exactly the raw URI {@code /predict}, so however it
 * is answered it carries the same headers. Its one privileged option,
 * {@code X-Canary-Route}, is checked by {@link AdminAccessPolicy}, which reads the token
 * itself. The Open Inference Protocol's paths under {@code /v2} are open and outside the
 * chain in the same way.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * The OpenAPI description and Swagger UI (springdoc). Public and read-only: they
	 * describe the API (no data, no secrets), and a client needs them before it has a
	 * token. Swagger UI's "Try it out" sends the token the user enters, and /admin/**
	 * checks it as for any other client.
	 */
	static final String[] API_DOCS = { "/docs", "/docs/**", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**" };

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	private static final String CONTENT_SECURITY_POLICY_HEADER = "Content-Security-Policy";

	/**
	 * The methods the firewall lets through; any other is refused before the filter
	 * chains.
	 */
	private static final Set<String> STANDARD_METHODS = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST",
			"PUT");

	/**
	 * The one path outside the chain: exactly this raw URI, so any other spelling still
	 * meets it.
	 */
	private static final String PREDICT = "/predict";

	/**
	 * The open Open Inference Protocol paths, likewise as raw URIs: {@code /v2}, its
	 * health probes, and a model's metadata, readiness and inference (with or without
	 * {@code /versions/{version}}), each name starting with a letter or digit (so no
	 * {@code .} or {@code ..} segment, no {@code ;}, no percent-escape). Any other
	 * spelling goes through the chain, where it is open too.
	 */
	private static final Pattern PROTOCOL = Pattern.compile("/v2(/health/(live|ready)|/models/"
			+ "[A-Za-z0-9][A-Za-z0-9_.-]*(/versions/[A-Za-z0-9][A-Za-z0-9_.-]*)?(/ready|/infer)?)?");

	/**
	 * The dashboard at {@code /} loads only its own files and the WebJars served here,
	 * with no inline script or style, so the browser can be told to run nothing else.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
			+ "frame-ancestors 'none'";

	/**
	 * Swagger UI's bundle injects {@code <style>} elements, so the API docs alone may
	 * apply inline styles; scripts stay limited to this origin's files as everywhere
	 * else.
	 */
	static final String API_DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self';",
			"style-src 'self' 'unsafe-inline';");

	/**
	 * No observation of each security filter: per request, it registered meters and
	 * events that nobody reads, and cost about as much as the rest of the request
	 * (docs/adr/0002-predict-outside-the-security-chain.md).
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Spring Security's firewall refuses a path that two parts of the service could read
	 * differently (an empty segment, a path parameter, an encoded period, a dot segment
	 * ...) before any filter chain runs, on {@code /predict} as on {@code /admin/**}. By
	 * default that is a bare 400; this says which part of the path is at fault, with the
	 * path sent as {@code instance}.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, ex) -> ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST,
				ProblemTypes.INVALID_REQUEST, rejected(request));
	}

	private static String rejected(HttpServletRequest request) {
		if (!STANDARD_METHODS.contains(request.getMethod())) {
			return "Method " + request.getMethod() + " is not accepted; the API uses GET and POST.";
		}
		return RequestPaths.problem(request.getRequestURI())
			.orElse("The request was refused: a header or parameter holds control characters or unassigned characters.");
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, AdminProperties admin) {
		if (!admin.tokenConfigured()) {
			log.warn("No admin token configured: /admin/** answers loopback clients only. Set CANARY_ADMIN_TOKEN "
					+ "(canary.admin.token) to a long random secret, e.g. `openssl rand -hex 32`, to allow remote operators.");
		}
		AuthorizationManager<RequestAuthorizationContext> reader = new AdminAccess(admin, false);
		AuthorizationManager<RequestAuthorizationContext> operator = new AdminAccess(admin, true);
		http.securityMatcher(request -> !outsideTheChain(request.getRequestURI()))
			.csrf(csrf -> csrf.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			.headers(headers -> headers.addHeaderWriter(contentSecurityPolicy())
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			.addFilterBefore(new AdminTokenFilter(admin), AuthorizationFilter.class)
			.exceptionHandling(handling -> handling.authenticationEntryPoint(unauthenticated(admin))
				.accessDeniedHandler(forbidden()))
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/error")
				.permitAll()
				.requestMatchers(HttpMethod.GET, API_DOCS)
				.permitAll()
				.requestMatchers(HttpMethod.GET, AdminAccessRules.READ_ONLY)
				.access(reader)
				.requestMatchers("/admin", "/admin/**", "/actuator", "/actuator/**")
				.access(operator)
				.anyRequest()
				.permitAll());
		return http.build();
	}

	static boolean outsideTheChain(String rawPath) {
		return PREDICT.equals(rawPath) || (rawPath.startsWith("/v2") && PROTOCOL.matcher(rawPath).matches());
	}

	/**
	 * The strict policy everywhere but on the API docs, which get
	 * {@link #API_DOCS_CONTENT_SECURITY_POLICY}.
	 */
	private static HeaderWriter contentSecurityPolicy() {
		RequestMatcher apiDocs = new OrRequestMatcher(Arrays.stream(API_DOCS)
			.map(PathPatternRequestMatcher.withDefaults()::matcher)
			.toArray(RequestMatcher[]::new));
		return (request, response) -> {
			if (!response.containsHeader(CONTENT_SECURITY_POLICY_HEADER)) {
				response.setHeader(CONTENT_SECURITY_POLICY_HEADER,
						apiDocs.matches(request) ? API_DOCS_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY);
			}
		};
	}

	/**
	 * 401 with {@code WWW-Authenticate: Bearer}, or 403 for a remote client when only
	 * loopback may administer.
	 */
	private static AuthenticationEntryPoint unauthenticated(AdminProperties admin) {
		return (request, response, ex) -> {
			if (!admin.tokenConfigured()) {
				ProblemResponses.write(request, response, HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN,
						"Admin endpoints answer only loopback clients because no admin token is configured; "
								+ "set CANARY_ADMIN_TOKEN on the service and send 'Authorization: Bearer <token>'.");
				return;
			}
			boolean invalid = request.getAttribute(AdminTokenFilter.INVALID_TOKEN) != null;
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					invalid ? "Bearer realm=\"ml-canary\", error=\"invalid_token\"" : "Bearer realm=\"ml-canary\"");
			ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, invalid
					? "The admin token is not valid: send 'Authorization: Bearer <token>' with the service's admin token."
					: "This endpoint needs an admin token: send 'Authorization: Bearer <token>'.");
		};
	}

	private static AccessDeniedHandler forbidden() {
		return (request, response, ex) -> ProblemResponses.write(request, response, HttpStatus.FORBIDDEN,
				ProblemTypes.FORBIDDEN, AdminAccessRules.READ_TOKEN_REFUSED);
	}

	/**
	 * Operator (or reader, for read-only endpoints) when a token is configured; loopback
	 * otherwise.
	 */
	private record AdminAccess(AdminProperties admin,
			boolean operatorOnly) implements AuthorizationManager<RequestAuthorizationContext> {

		@Override
		public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
				RequestAuthorizationContext context) {
			if (!admin.tokenConfigured()) {
				return new AuthorizationDecision(isLoopback(context.getRequest()));
			}
			Collection<? extends GrantedAuthority> authorities = authentication.get().getAuthorities();
			boolean granted = authorities.stream()
				.map(GrantedAuthority::getAuthority)
				.anyMatch(a -> a.equals(AdminTokenFilter.OPERATOR)
						|| (!operatorOnly && a.equals(AdminTokenFilter.READER)));
			return new AuthorizationDecision(granted);
		}

		/**
		 * The TCP peer only: X-Forwarded-For is client-controlled and never trusted here.
		 */
		private static boolean isLoopback(HttpServletRequest request) {
			return AdminAccessPolicy.isLoopback(request.getRemoteAddr());
		}

	}

}
