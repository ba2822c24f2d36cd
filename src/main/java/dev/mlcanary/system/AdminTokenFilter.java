package dev.mlcanary.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * Reads {@code Authorization: Bearer <token>} and, when it matches a configured admin token,
 * authenticates the request as {@code operator} or {@code reader}. Tokens are compared as SHA-256
 * digests with {@link MessageDigest#isEqual}, in constant time and without leaking their length. A
 * missing, malformed or wrong token leaves the request anonymous; the authorization rules then
 * answer 401 and nothing runs.
 */
final class AdminTokenFilter extends OncePerRequestFilter {

	/** Request attribute naming who made an admin call, for the audit trail. */
	static final String ACTOR = RequestAttributes.ACTOR;

	/** Request attribute set when a credential was sent but refused (for WWW-Authenticate). */
	static final String INVALID_TOKEN = AdminTokenFilter.class.getName() + ".invalid";

	static final String OPERATOR = "ROLE_OPERATOR";

	static final String READER = "ROLE_READER";

	private static final int MAX_TOKEN_LENGTH = 1024;

	private final byte[] operatorDigest;

	private final byte[] readerDigest;

	AdminTokenFilter(AdminProperties properties) {
		this.operatorDigest = properties.token() == null ? null : sha256(properties.token());
		this.readerDigest = properties.readToken() == null ? null : sha256(properties.readToken());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null) {
			String role = roleFor(header);
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

	private String roleFor(String header) {
		if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = header.substring(7).trim();
		if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
			return null;
		}
		byte[] digest = sha256(token);
		// Both comparisons always run, so timing does not tell which token (if any) matched.
		boolean operator = operatorDigest != null && MessageDigest.isEqual(digest, operatorDigest);
		boolean reader = readerDigest != null && MessageDigest.isEqual(digest, readerDigest);
		return operator ? OPERATOR : reader ? READER : null;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

}
