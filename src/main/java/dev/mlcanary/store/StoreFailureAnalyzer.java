package dev.mlcanary.store;

import java.sql.SQLException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * In postgres mode, a database that is missing, unreachable or refuses the credentials
 * stops the startup with one line naming the URL (never its password) and the driver's
 * reason, instead of a page of stack trace; there is no fallback to file mode, which
 * would split the fleet without a word.
 */
class StoreFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;])password=[^&;]*");

	private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

	private final Environment environment;

	StoreFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	/**
	 * Before Spring's own analyzers, which would describe the bean that failed instead.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		if (Store.configured(environment) != Store.POSTGRES) {
			return null;
		}
		String description = null;
		for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
			if (t instanceof StoreStartupException) {
				description = t.getMessage();
				break;
			}
			if (t instanceof SQLException) {
				description = "The PostgreSQL store at "
						+ withoutPassword(environment.getProperty("spring.datasource.url"))
						+ " (canary.store=postgres) cannot be used: " + StoreUnavailableException.describeCause(t)
						+ ".";
				break;
			}
		}
		if (description == null) {
			return null;
		}
		return new FailureAnalysis(description,
				"Check spring.datasource.url, spring.datasource.username and spring.datasource.password "
						+ "(SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD): the "
						+ "database must exist, be reachable and accept these credentials (docs/fleet.md). The "
						+ "service never falls back to file mode; for one process without a database, leave "
						+ "canary.store at file.",
				failure);
	}

	static String withoutPassword(@Nullable String url) {
		if (url == null) {
			return "(no spring.datasource.url)";
		}
		String cleaned = PASSWORD_PARAMETER.matcher(url).replaceAll("$1");
		cleaned = cleaned.replace("?&", "?").replace("&&", "&");
		if (cleaned.endsWith("?") || cleaned.endsWith("&")) {
			cleaned = cleaned.substring(0, cleaned.length() - 1);
		}
		return USER_INFO.matcher(cleaned).replaceAll("//$1@");
	}

}
