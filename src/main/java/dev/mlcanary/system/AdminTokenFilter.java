package dev.mlcanary.system;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <token>} and, when it matches a configured admin
 * token, authenticates the request as {@code operator} or {@code reader}
 * ({@link AdminTokens} compares the tokens). A missing, malformed or wrong token leaves
 * the request anonymous; the authorization rules then answer 401 and nothing runs.
 */
final class AdminTokenFilter extends OncePerRequestFilter {

	/** Request attribute naming who made an admin call, for the audit trail. */
	static final String ACTOR = RequestAttributes.ACTOR;

	/**
	 * Request attribute set when a credential was sent but refused (for
	 * WWW-Authenticate).
	 */
	static final String INVALID_TOKEN = AdminTokenFilter.class.getName() + ".invalid";

	static final String OPERATOR = AdminTokens.OPERATOR;

	static final String READER = AdminTokens.READER;

	private final AdminTokens tokens;

	AdminTokenFilter(AdminProperties properties) {
		this.tokens = new AdminTokens(properties);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null) {
			String role = tokens.roleFor(header);
			if (role != null) {
				String name = role.equals(OPERATOR) ? "operator-token" : "read-token";
				var authentication = UsernamePasswordAuthenticationToken.authenticated(name, null,
						List.of(new SimpleGrantedAuthority(role)));
				SecurityContextHolder.getContext().setAuthentication(authentication);
				request.setAttribute(ACTOR, name);
			}
			else {
				request.setAttribute(INVALID_TOKEN, Boolean.TRUE);
			}
		}
		chain.doFilter(request, response);
	}

}
