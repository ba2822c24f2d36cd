package dev.mlcanary.system;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Admin rights checked inside an open endpoint, for a privileged option of it (a tester forcing
 * {@code /predict} onto a role). The same rule as {@code /admin/**}: the operator token when one
 * is configured, otherwise a loopback peer.
 */
@Component
public class AdminAccessPolicy {

	private final AdminProperties admin;

	AdminAccessPolicy(AdminProperties admin) {
		this.admin = admin;
	}

	/** @throws AdminAccessException (401 or 403) unless the caller may act as an operator */
	public void requireOperator(HttpServletRequest request, String what) {
		if (!admin.tokenConfigured()) {
			if (!isLoopback(request.getRemoteAddr())) {
				throw AdminAccessException.forbidden(what + " is allowed only from loopback clients while no admin token is configured.");
			}
			return;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		boolean operator = authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch(a -> AdminTokenFilter.OPERATOR.equals(a.getAuthority()));
		if (operator) {
			return;
		}
		boolean reader = authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch(a -> AdminTokenFilter.READER.equals(a.getAuthority()));
		if (reader) {
			throw AdminAccessException.forbidden(what + " needs the operator token, not the read-only token.");
		}
		throw AdminAccessException.unauthenticated(what + " needs the admin token: send 'Authorization: Bearer <token>'.");
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
