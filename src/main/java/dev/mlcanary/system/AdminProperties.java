package dev.mlcanary.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Admin authentication, under {@code canary.admin.}. With no operator token,
 * {@code /admin/**} answers loopback clients only.
 *
 * @param token operator token ({@code CANARY_ADMIN_TOKEN}): every admin call, including
 * deploy, promote, rollback and toggle
 * @param readToken optional read-only token ({@code CANARY_ADMIN_READ_TOKEN}): status,
 * health check, models, events and power analysis
 */
@Validated
@ConfigurationProperties(prefix = "canary.admin")
public record AdminProperties(String token, String readToken) {

	static final int MIN_TOKEN_LENGTH = 16;

	public AdminProperties {
		token = blankToNull(token);
		readToken = blankToNull(readToken);
		requireStrong("canary.admin.token", token);
		requireStrong("canary.admin.read-token", readToken);
		if (readToken != null && token == null) {
			throw new IllegalArgumentException(
					"canary.admin.read-token needs canary.admin.token (the operator token) too");
		}
		if (readToken != null && readToken.equals(token)) {
			throw new IllegalArgumentException("canary.admin.read-token must differ from canary.admin.token");
		}
	}

	public boolean tokenConfigured() {
		return token != null;
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value;
	}

	private static void requireStrong(String property, String value) {
		if (value != null && value.length() < MIN_TOKEN_LENGTH) {
			throw new IllegalArgumentException(property + " must be at least " + MIN_TOKEN_LENGTH
					+ " characters long; generate one with: openssl rand -hex 32");
		}
	}

}
