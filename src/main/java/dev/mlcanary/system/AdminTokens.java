package dev.mlcanary.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The configured admin tokens, as SHA-256 digests, and which role an
 * {@code Authorization} header carries. Digests are compared with
 * {@link MessageDigest#isEqual}, in constant time and without leaking the tokens' length.
 * Used by the security filter chain for {@code /admin/**} and actuator, and by
 * {@link AdminAccessPolicy} for {@code /predict}, which runs outside that chain.
 */
final class AdminTokens {

	static final String OPERATOR = "ROLE_OPERATOR";

	static final String READER = "ROLE_READER";

	private static final int MAX_TOKEN_LENGTH = 1024;

	private final byte[] operatorDigest;

	private final byte[] readerDigest;

	AdminTokens(AdminProperties properties) {
		this.operatorDigest = properties.token() == null ? null : sha256(properties.token());
		this.readerDigest = properties.readToken() == null ? null : sha256(properties.readToken());
	}

	/**
	 * @param header the {@code Authorization} header, or {@code null}
	 * @return {@link #OPERATOR}, {@link #READER}, or {@code null} for a missing,
	 * malformed or wrong token
	 */
	String roleFor(String header) {
		if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = header.substring(7).trim();
		if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
			return null;
		}
		byte[] digest = sha256(token);
		// Both comparisons always run, so timing does not tell which token (if any)
		// matched.
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
