package dev.mlcanary.store;

import java.net.URI;
import java.sql.SQLException;

import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The shared store could not be reached, or did not answer within
 * {@code canary.fleet.database-timeout}, so the admin call that needed it changed nothing
 * (HTTP 503). The detail names the cause as the driver reported it (a refused connection,
 * a timeout, a failed login): the caller is an operator, who needs to know which of them
 * it is.
 */
public final class StoreUnavailableException extends ProblemException {

	public static final URI TYPE = URI.create("urn:ml-canary:problem:store-unavailable");

	private StoreUnavailableException(String detail, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, TYPE, "Store unavailable", detail, cause);
	}

	/** A change that was not applied because the database failed. */
	public static StoreUnavailableException changeNotApplied(Throwable cause) {
		return new StoreUnavailableException("The change was not applied: the PostgreSQL store cannot be used ("
				+ describeCause(cause) + "), so the deployment is unchanged. /predict keeps serving it; retry once the "
				+ "database is back.", cause);
	}

	/** A read of shared state (such as the audit trail) that the database failed. */
	public static StoreUnavailableException cannotRead(String what, Throwable cause) {
		return new StoreUnavailableException(
				"The " + what + " cannot be read: the PostgreSQL store cannot be used (" + describeCause(cause) + ").",
				cause);
	}

	/**
	 * Shared state that an answer needs cannot be read, and answering without it would
	 * mislead.
	 * @param consequence what the caller does not get, as the detail's first clause
	 */
	public static StoreUnavailableException because(String consequence, Throwable cause) {
		return new StoreUnavailableException(
				consequence + ": the PostgreSQL store cannot be used (" + describeCause(cause) + ").", cause);
	}

	/**
	 * The driver's own words: the innermost SQL exception's first line (the pool's and
	 * Spring's wrappers only repeat it), without a final period.
	 */
	public static String describeCause(Throwable failure) {
		String message = null;
		for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
			if (t instanceof SQLException && t.getMessage() != null) {
				message = t.getMessage();
			}
		}
		if (message == null) {
			message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
		}
		message = message.lines().findFirst().orElse("").strip();
		if (message.length() > 300) {
			message = message.substring(0, 300) + "...";
		}
		return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
	}

}
