package dev.mlcanary.audit;

import java.time.Clock;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.TransitionRecorder;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * In a fleet, the event of a successful admin change is written in the change's own
 * transaction, so that the shared trail can never miss a committed change nor show one
 * that was rolled back. Once the transaction commits, the request is marked so that
 * {@link AuditFilter} does not record it a second time. Changes made outside a request
 * (the automated rollout) are recorded by whoever made them, after the commit, as in file
 * mode.
 */
final class TransactionalAuditRecorder implements TransitionRecorder {

	/** Set on a request whose change the transaction already recorded. */
	static final String RECORDED = TransactionalAuditRecorder.class.getName() + ".recorded";

	private final JdbcAuditTrail trail;

	private final Clock clock;

	TransactionalAuditRecorder(JdbcAuditTrail trail, Clock clock) {
		this.trail = trail;
		this.clock = clock;
	}

	@Override
	public void record(Deployment before, Deployment after) {
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
			return;
		}
		HttpServletRequest request = attributes.getRequest();
		if (!request.getRequestURI().startsWith(AuditFilter.PREFIX)) {
			return;
		}
		trail.insert(AuditFilter.event(request, 200, before, after, clock));
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					request.setAttribute(RECORDED, Boolean.TRUE);
				}
			});
		}
		else {
			request.setAttribute(RECORDED, Boolean.TRUE);
		}
	}

	static boolean recorded(HttpServletRequest request) {
		return request.getAttribute(RECORDED) != null;
	}

}
