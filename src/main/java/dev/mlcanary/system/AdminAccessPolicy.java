package dev.mlcanary.system;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Admin rights checked inside an open endpoint, for a privileged option of it (a tester
 * forcing {@code /predict} onto a role). The same rule as {@code /admin/**}: the operator
 * token when one is configured, otherwise a loopback peer.
 */
@Component
public class AdminAccessPolicy {

	private final AdminProperties admin;

	private final AdminTokens tokens;

	AdminAccessPolicy(AdminProperties admin) {
		this.admin = admin;
		this.tokens = new AdminTokens(admin);
	}

	/**
	 * @throws AdminAccessException (401 or 403) unless the caller may act as an operator
	 */
	public void requireOperator(HttpServletRequest request, String what) {
		if (!admin.tokenConfigured()) {
			if (!isLoopback(request.getRemoteAddr())) {
				throw AdminAccessException
					.forbidden(what + " is allowed only from loopback clients while no admin token is configured.");
			}
			return;
		}
		// /predict runs outside the security filter chain (SecurityConfiguration), so the
		// token is read here.
		String role = tokens.roleFor(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (AdminTokens.OPERATOR.equals(role)) {
			return;
		}
		if (AdminTokens.READER.equals(role)) {
			throw AdminAccessException.forbidden(what + " needs the operator token, not the read-only token.");
		}
		throw AdminAccessException
			.unauthenticated(what + " needs the admin token: send 'Authorization: Bearer <token>'.");
	}

	static boolean isLoopback(String address) {
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
