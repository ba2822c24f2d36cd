package dev.mlcanary.system;

/**
 * Names of request attributes that the security and error layers leave for the audit
 * trail.
 */
public final class RequestAttributes {

	/**
	 * Who made an admin call: {@code operator-token} or {@code read-token}; absent when
	 * anonymous.
	 */
	public static final String ACTOR = "dev.mlcanary.actor";

	/** The {@code detail} of the problem a refused request was answered with. */
	public static final String PROBLEM_DETAIL = "dev.mlcanary.problem-detail";

	/**
	 * What a successful admin call did, in words, when its event should say more than its
	 * versions (an upload: the version and its SHA-256).
	 */
	public static final String AUDIT_DETAIL = "dev.mlcanary.audit-detail";

	private RequestAttributes() {
	}

}
