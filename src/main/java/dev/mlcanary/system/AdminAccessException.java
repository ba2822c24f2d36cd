package dev.mlcanary.system;

import org.springframework.http.HttpStatus;

/** A request that needs admin rights it does not have (HTTP 401 or 403). */
public final class AdminAccessException extends RuntimeException {

	private final HttpStatus status;

	private AdminAccessException(HttpStatus status, String detail) {
		super(detail);
		this.status = status;
	}

	HttpStatus status() {
		return status;
	}

	static AdminAccessException unauthenticated(String detail) {
		return new AdminAccessException(HttpStatus.UNAUTHORIZED, detail);
	}

	static AdminAccessException forbidden(String detail) {
		return new AdminAccessException(HttpStatus.FORBIDDEN, detail);
	}

}
