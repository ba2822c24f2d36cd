package dev.mlcanary.simulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The command line of {@code simulate}, parsed strictly: an unknown option, a missing
 * value, a repeated option or a bad number is a usage error (exit code 2), never silently
 * ignored.
 *
 * @param baseUrl service base URL without a trailing slash
 * @param requests predictions planned per traffic phase
 * @param seed seed of the feature vectors
 * @param canaryVersion model version to deploy as canary
 * @param token bearer token for {@code /admin/*} calls, or {@code null} for none
 * @param help whether {@code --help} was given
 */
record SimulatorOptions(String baseUrl, int requests, long seed, String canaryVersion, String token, boolean help,
		Scenario scenario) {

	SimulatorOptions(String baseUrl, int requests, long seed, String canaryVersion, String token, boolean help) {
		this(baseUrl, requests, seed, canaryVersion, token, help, Scenario.CLASSIC);
	}

	/** What the simulator plays. */
	enum Scenario {

		/**
		 * The prototype's flow: manual deploy, checks before and after a slowdown,
		 * rollback.
		 */
		CLASSIC("classic", "v2"),
		/** A good canary promoted step by step by the automated rollout. */
		PROGRESSIVE("progressive", "v2"),
		/** A slowed-down canary rolled back automatically on latency. */
		SLOW("slow", "v2"),
		/** v3, fast but wrong, rolled back automatically by the agreement judge. */
		BAD_MODEL("bad-model", "v3");

		final String wireName;

		final String defaultCanary;

		Scenario(String wireName, String defaultCanary) {
			this.wireName = wireName;
			this.defaultCanary = defaultCanary;
		}

		static Scenario parse(String value) throws UsageException {
			for (Scenario s : values()) {
				if (s.wireName.equals(value)) {
					return s;
				}
			}
			throw new UsageException(
					"--scenario must be one of classic, progressive, slow, bad-model; got '" + value + "'");
		}

	}

	static final String DEFAULT_URL = "http://localhost:8000";

	static final int DEFAULT_REQUESTS = 300;

	static final int MAX_REQUESTS = 1_000_000;

	static final long DEFAULT_SEED = 42;

	static final String DEFAULT_CANARY_VERSION = "v2";

	static final String TOKEN_ENV = "CANARY_ADMIN_TOKEN";

	/** RFC 6750 b64token: what may follow "Bearer " in a header without breaking it. */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

	private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	static final String USAGE = """
			Usage: java -jar ml-canary.jar simulate [options]

			Plays the canary lifecycle against a running ml-canary service: deploy a canary, send
			traffic, check its health (expected: no alert), slow the canary down, send traffic, check
			again (expected: alert), roll back, confirm stable serves, and ask for a power analysis.

			Options:
			  --url URL               service base URL (default %s)
			  --requests N            predictions per traffic phase, 1..%d (default %d); more
			                          are sent until the phase has given both versions the health
			                          check's min_samples new samples (at most 20 x N, >= 2000)
			  --seed N                seed of the random feature vectors (default %d)
			  --scenario S            classic (default): the lifecycle above, checked by hand;
			                          progressive: a good canary promoted step by step by the
			                          automated rollout; slow: a slowed-down canary rolled back
			                          automatically; bad-model: v3 rolled back by the agreement judge
			  --canary-version V      model version to deploy as canary (default %s; v3 for bad-model)
			  --token T               bearer token for /admin/* calls (default: $%s)
			  --help                  show this help and exit

			Options take their value as the next argument or after '=' (--requests=500).

			Exit codes: 0 every expectation held; 1 a verdict was not the expected one;
			            2 usage error; 3 service unreachable or an unexpected HTTP status.
			""".formatted(DEFAULT_URL, MAX_REQUESTS, DEFAULT_REQUESTS, DEFAULT_SEED, DEFAULT_CANARY_VERSION, TOKEN_ENV);

	/** A command line that cannot be run; the message says what to fix. */
	static final class UsageException extends Exception {

		UsageException(String message) {
			super(message);
		}

	}

	static SimulatorOptions parse(String[] args, Map<String, String> env) throws UsageException {
		String url = DEFAULT_URL;
		int requests = DEFAULT_REQUESTS;
		long seed = DEFAULT_SEED;
		String canaryVersion = null;
		Scenario scenario = Scenario.CLASSIC;
		String token = env.get(TOKEN_ENV);
		String tokenSource = "$" + TOKEN_ENV;
		boolean help = false;
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new UsageException("unexpected argument '" + arg + "'; options start with --");
			}
			int eq = arg.indexOf('=');
			String name = eq < 0 ? arg : arg.substring(0, eq);
			if (!seen.add(name)) {
				throw new UsageException(name + " given twice");
			}
			if (name.equals("--help")) {
				if (eq >= 0) {
					throw new UsageException("--help takes no value");
				}
				help = true;
				continue;
			}
			String value;
			if (eq >= 0) {
				value = arg.substring(eq + 1);
			}
			else if (i + 1 < args.length && isKnown(name) && !args[i + 1].startsWith("--")) {
				value = args[++i];
			}
			else {
				value = null;
			}
			switch (name) {
				case "--url" -> url = url(require(name, value));
				case "--requests" -> requests = (int) number(name, require(name, value), 1, MAX_REQUESTS);
				case "--seed" -> seed = number(name, require(name, value), Long.MIN_VALUE, Long.MAX_VALUE);
				case "--canary-version" -> canaryVersion = version(require(name, value));
				case "--scenario" -> scenario = Scenario.parse(require(name, value));
				case "--token" -> {
					token = require(name, value);
					tokenSource = "--token";
				}
				default -> throw new UsageException("unknown option " + name);
			}
		}
		return new SimulatorOptions(url, requests, seed, canaryVersion == null ? scenario.defaultCanary : canaryVersion,
				token(token, tokenSource), help, scenario);
	}

	private static boolean isKnown(String name) {
		return switch (name) {
			case "--url", "--requests", "--seed", "--canary-version", "--token", "--scenario" -> true;
			default -> false;
		};
	}

	private static String require(String name, String value) throws UsageException {
		if (value == null) {
			throw new UsageException(name + " needs a value");
		}
		return value;
	}

	private static long number(String name, String value, long min, long max) throws UsageException {
		long n;
		try {
			n = Long.parseLong(value.strip());
		}
		catch (NumberFormatException e) {
			throw new UsageException(name + " must be a whole number, got '" + value + "'");
		}
		if (n < min || n > max) {
			throw new UsageException(name + " must be between " + min + " and " + max + ", got " + n);
		}
		return n;
	}

	private static String url(String value) throws UsageException {
		URI uri;
		try {
			uri = new URI(value.strip());
		}
		catch (URISyntaxException e) {
			throw new UsageException("--url is not a valid URL: " + e.getMessage());
		}
		String scheme = uri.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| uri.getHost() == null) {
			throw new UsageException("--url must be an http:// or https:// URL with a host, e.g. " + DEFAULT_URL
					+ ", got '" + value + "'");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw new UsageException(
					"--url must be a base URL without user info, query or fragment, got '" + value + "'");
		}
		String text = uri.toString();
		while (text.endsWith("/")) {
			text = text.substring(0, text.length() - 1);
		}
		return text;
	}

	private static String version(String value) throws UsageException {
		if (!VERSION.matcher(value).matches()) {
			throw new UsageException(
					"--canary-version must be a model version such as v2 (letters, digits, '.', '_', '-'), got '"
							+ value + "'");
		}
		return value;
	}

	/**
	 * A blank token means none, so {@code --token ''} switches off a token from the
	 * environment.
	 */
	private static String token(String value, String source) throws UsageException {
		if (value == null || value.isBlank()) {
			return null;
		}
		String token = value.strip();
		if (!TOKEN.matcher(token).matches()) {
			throw new UsageException(
					source + " is not a valid bearer token (letters, digits and -._~+/ with optional trailing =)");
		}
		return token;
	}

}
