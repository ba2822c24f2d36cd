package dev.mlcanary.audit;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlcanary.analysis.HealthReport;
import dev.mlcanary.deployment.Deployment;
import org.jspecify.annotations.Nullable;

/**
 * One line of the audit trail: an admin action, who asked for it, how it ended and what
 * it changed.
 *
 * @param time when the call finished
 * @param action the endpoint, e.g. {@code deploy-canary} or {@code check-canary-health}
 * @param method the HTTP method
 * @param outcome {@code success}, {@code refused} (4xx) or {@code error} (5xx)
 * @param status the HTTP status answered
 * @param actor {@code operator-token}, {@code read-token}, or {@code anonymous} for calls
 * without a valid token
 * @param remoteAddress the TCP peer
 * @param stableBefore stable version before the call
 * @param canaryBefore canary version before the call, or null
 * @param stableAfter stable version after the call
 * @param canaryAfter canary version after the call, or null
 * @param weight canary weight after the call, when a canary is deployed
 * @param generation deployment generation after the call
 * @param detail why a call was refused (the problem's detail)
 * @param slowdown whether the artificial canary slowdown is on after the call
 * @param verdict for health checks, the verdict and its statistics
 * @param replicaId the replica that recorded it, in a fleet
 * ({@code canary.store=postgres}); absent in file mode
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(Instant time, String action, String method, String outcome, int status, String actor,
		String remoteAddress, String stableBefore, @Nullable String canaryBefore, String stableAfter,
		@Nullable String canaryAfter, @Nullable Double weight, long generation, @Nullable Boolean slowdown,
		@Nullable String detail, @Nullable Verdict verdict, @Nullable String replicaId) {

	/** An event of one process, without a replica. */
	public AuditEvent(Instant time, String action, String method, String outcome, int status, String actor,
			String remoteAddress, String stableBefore, @Nullable String canaryBefore, String stableAfter,
			@Nullable String canaryAfter, @Nullable Double weight, long generation, @Nullable Boolean slowdown,
			@Nullable String detail, @Nullable Verdict verdict) {
		this(time, action, method, outcome, status, actor, remoteAddress, stableBefore, canaryBefore, stableAfter,
				canaryAfter, weight, generation, slowdown, detail, verdict, null);
	}

	/** The same event, recorded by the given replica. */
	AuditEvent byReplica(String replica) {
		return new AuditEvent(time, action, method, outcome, status, actor, remoteAddress, stableBefore, canaryBefore,
				stableAfter, canaryAfter, weight, generation, slowdown, detail, verdict, replica);
	}

	/**
	 * One event of an admin action, with the versions read from the deployment before and
	 * after it.
	 * @param report the health check's answer, for checks and automated decisions, or
	 * {@code null}
	 */
	public static AuditEvent of(Instant time, String action, String method, String outcome, int status, String actor,
			String remoteAddress, Deployment before, Deployment after, String detail, HealthReport report) {
		return new AuditEvent(time, action, method, outcome, status, actor, remoteAddress, before.stable().version(),
				before.hasCanary() ? before.canary().version() : null, after.stable().version(),
				after.hasCanary() ? after.canary().version() : null, after.hasCanary() ? after.weight() : null,
				after.generation(), after.slowdown(), detail, Verdict.of(report));
	}

	/** The health check's answer, as the audit trail keeps it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Verdict(dev.mlcanary.shared.Verdict verdict, boolean alertTriggered, String message,
			@Nullable Double pValue, @Nullable Double tStatistic, @Nullable Double stableAvgLatencyMs,
			@Nullable Double canaryAvgLatencyMs, int stableSampleCount, int canarySampleCount) {

		static Verdict of(HealthReport r) {
			if (r == null) {
				return null;
			}
			return new Verdict(r.verdict(), r.alertTriggered(), r.message(), r.pValue(), r.tStatistic(),
					r.stableAvgLatencyMs(), r.canaryAvgLatencyMs(), r.stableSampleCount(), r.canarySampleCount());
		}

	}

}
