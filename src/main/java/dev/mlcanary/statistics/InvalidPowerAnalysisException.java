package dev.mlcanary.statistics;

/**
 * A power analysis was asked for with parameters outside its domain, or for an effect so
 * small that no feasible sample size reaches the requested power.
 *
 * <p>
 * A dedicated type so that the web layer can answer it with a 400 and pass
 * {@link #getMessage()} on as the problem {@code detail}: every message is a complete
 * sentence that names the offending parameter and its allowed range, and contains nothing
 * internal.
 */
public class InvalidPowerAnalysisException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public InvalidPowerAnalysisException(String message) {
		super(message);
	}

}
