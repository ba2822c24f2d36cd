package dev.mlcanary;

/**
 * The made-up admin tokens of the tests that run with authentication on
 * ({@link WithAdminTokens}).
 */
public final class TestTokens {

	public static final String OPERATOR = "operator-token-0123456789abcdef";

	public static final String READER = "reader-token-0123456789abcdef";

	private TestTokens() {
	}

}
