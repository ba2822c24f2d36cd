package dev.mlcanary.simulator;

import java.io.PrintStream;
import java.util.Map;

import dev.mlcanary.simulator.SimulatorOptions.UsageException;

/**
 * {@code java -jar ml-canary.jar simulate}: the command line of the traffic simulator. It
 * reads the options and plays the chosen scenario ({@link ClassicScenario}, the
 * prototype's lifecycle, or a {@link RolloutScenario}) against a running service over
 * plain HTTP, without a Spring context.
 *
 * <p>
 * Exit codes: 0 every expectation held; 1 a verdict was not the expected one; 2 usage
 * error; 3 the service was unreachable or answered an unexpected HTTP status.
 */
public final class TrafficSimulator {

	static final int OK = 0, NOT_AS_EXPECTED = 1, USAGE = 2, SERVICE_PROBLEM = 3;

	static final long READY_TIMEOUT_MILLIS = 30_000;

	static final String POWER_ANALYSIS = "/admin/power-analysis?effect_size=0.666&alpha=0.05&power=0.8";

	private TrafficSimulator() {
	}

	/**
	 * Runs the simulator with the process's environment and streams; returns the exit
	 * code.
	 */
	public static int run(String[] args) {
		return run(args, System.getenv(), System.out, System.err, System.console() != null);
	}

	static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {
		SimulatorOptions options;
		try {
			options = SimulatorOptions.parse(args, env);
		}
		catch (UsageException e) {
			err.println("simulate: " + e.getMessage());
			err.println();
			err.print(SimulatorOptions.USAGE);
			return USAGE;
		}
		if (options.help()) {
			out.print(SimulatorOptions.USAGE);
			return OK;
		}
		if (options.scenario() != SimulatorOptions.Scenario.CLASSIC) {
			return new RolloutScenario(options, out, err, interactive).run();
		}
		return new ClassicScenario(options, out, err, interactive).run();
	}

}
