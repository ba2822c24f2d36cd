package dev.mlcanary;

import java.util.Arrays;

import dev.mlcanary.model.ModelTrainer;
import dev.mlcanary.simulator.TrafficSimulator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * One runnable jar, three programs: with no sub-command it serves; {@code train}
 * regenerates the bundled models; {@code simulate} plays the canary lifecycle against a
 * running service.
 */
// No user store: admin calls authenticate with bearer tokens
// (system.SecurityConfiguration). No DataSource from Boot: in file mode (the default)
// there is no database at all, and with canary.store=postgres store.StoreConfiguration
// makes the one pool.
@SpringBootApplication(proxyBeanMethods = false,
		exclude = { UserDetailsServiceAutoConfiguration.class, DataSourceAutoConfiguration.class })
@ConfigurationPropertiesScan
public class Application {

	static final String USAGE = """
			Usage: java -jar ml-canary.jar [COMMAND] [OPTIONS]
			  (no command), serve   serve on :8000; Spring options such as --server.port=8080 work
			  train                 regenerate the bundled models: train [--out models] [--seed N]
			  simulate              play the canary lifecycle against a running service: simulate --help
			""";

	public static void main(String[] args) throws Exception {
		String command = args.length > 0 ? args[0] : "serve";
		String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
		switch (command) {
			case "--help", "-h", "help" -> System.out.println(USAGE);
			case "train" -> System.exit(ModelTrainer.run(rest));
			case "simulate" -> System.exit(TrafficSimulator.run(rest));
			case "serve" -> SpringApplication.run(Application.class, rest);
			default -> {
				if (command.startsWith("-")) {
					// Spring-style arguments (--server.port=...) without a sub-command:
					// serve.
					SpringApplication.run(Application.class, args);
				}
				else {
					System.err
						.println("Unknown command '" + command + "'. Use one of: serve (default), train, simulate.");
					System.exit(2);
				}
			}
		}
	}

}
