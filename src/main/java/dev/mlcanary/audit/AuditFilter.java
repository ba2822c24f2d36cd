package dev.mlcanary.audit;

import java.io.IOException;
import java.time.Clock;

import dev.mlcanary.analysis.HealthReport;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.system.RequestAttributes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records every admin action in the {@link AuditTrail}: every POST to {@code /admin/**},
 * every health check, and every admin request refused for want of a valid token. It runs
 * outside the security filters, so refusals by authentication are recorded as well as
 * refusals by the controllers.
 */
final class AuditFilter extends OncePerRequestFilter {

	static final String PREFIX = "/admin/";

	private final AuditTrail events;

	private final DeploymentService deployments;

	private final Clock clock;

	AuditFilter(AuditTrail events, DeploymentService deployments, Clock clock) {
		this.events = events;
		this.deployments = deployments;
		this.clock = clock;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith(PREFIX);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Deployment before = deployments.current();
		try {
			chain.doFilter(request, response);
		}
		finally {
			int status = response.getStatus();
			if (worthRecording(request, status) && !TransactionalAuditRecorder.recorded(request)) {
				events.append(event(request, status, before, deployments.current(), clock));
			}
		}
	}

	private static boolean worthRecording(HttpServletRequest request, int status) {
		return "POST".equals(request.getMethod()) || "DELETE".equals(request.getMethod())
				|| request.getRequestURI().equals("/admin/check-canary-health") || status == 401 || status == 403;
	}

	static AuditEvent event(HttpServletRequest request, int status, Deployment before, Deployment after, Clock clock) {
		Object actor = request.getAttribute(RequestAttributes.ACTOR);
		Object detail = request.getAttribute(RequestAttributes.PROBLEM_DETAIL);
		if (detail == null) {
			detail = request.getAttribute(RequestAttributes.AUDIT_DETAIL);
		}
		String outcome = status < 400 ? "success" : status < 500 ? "refused" : "error";
		HealthReport report = request.getAttribute(HealthReport.class.getName()) instanceof HealthReport r ? r : null;
		return AuditEvent.of(clock.instant(), request.getRequestURI().substring(PREFIX.length()), request.getMethod(),
				outcome, status, actor == null ? "anonymous" : actor.toString(), request.getRemoteAddr(), before, after,
				detail == null ? null : detail.toString(), report);
	}

}
