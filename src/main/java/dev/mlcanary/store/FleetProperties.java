package dev.mlcanary.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a replica takes part in a fleet ({@code canary.store=postgres}), under
 * {@code canary.fleet.}; bound in file mode too, where only {@code replica-id} is shown.
 *
 * @param replicaId this replica's name in the audit trail and the heartbeats: letters,
 * digits and {@code . _ - : @}, at most 100; default the host name and the process id
 * ({@code web-1-4711})
 * @param publishInterval how often the replica re-reads the shared deployment (the
 * fallback for a lost notification) and writes its heartbeat; 100 ms to 1 min
 * @param replicaTimeout how long a replica may stay silent before the others count it as
 * gone; at least twice the publish interval, at most 1 h
 * @param databaseTimeout the longest an admin change waits for the database before it
 * answers 503: the pool's connection timeout, the driver's connect, login and socket
 * timeouts, and the transaction's; 250 ms to 60 s
 */
@Validated
@ConfigurationProperties(prefix = "canary.fleet")
public record FleetProperties(@Nullable String replicaId, @DefaultValue("1s") @NotNull Duration publishInterval,
		@DefaultValue("10s") @NotNull Duration replicaTimeout, @DefaultValue("3s") @NotNull Duration databaseTimeout) {

	private static final Pattern REPLICA_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");

	public FleetProperties {
		replicaId = replicaId == null ? defaultReplicaId() : replicaId;
		if (!REPLICA_ID.matcher(replicaId).matches()) {
			throw new IllegalArgumentException("canary.fleet.replica-id must be 1 to 100 letters, digits or . _ - : @, "
					+ "was '" + replicaId + "'");
		}
		within("canary.fleet.publish-interval", publishInterval, Duration.ofMillis(100), Duration.ofMinutes(1));
		within("canary.fleet.database-timeout", databaseTimeout, Duration.ofMillis(250), Duration.ofSeconds(60));
		if (publishInterval != null) {
			within("canary.fleet.replica-timeout", replicaTimeout, publishInterval.multipliedBy(2),
					Duration.ofHours(1));
		}
	}

	/** The defaults, with the given replica id: for tests and tools. */
	public static FleetProperties of(String replicaId) {
		return new FleetProperties(replicaId, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(3));
	}

	private static void within(String name, @Nullable Duration value, Duration min, Duration max) {
		if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
			throw new IllegalArgumentException(name + " must be between " + min.toMillis() + "ms and " + max.toMillis()
					+ "ms, was " + value.toMillis() + "ms");
		}
	}

	/**
	 * The host name (from {@code HOSTNAME}, which shells and Kubernetes set, else the
	 * resolver) and the process id: unique on one host, and readable in a log.
	 */
	private static String defaultReplicaId() {
		String host = System.getenv("HOSTNAME");
		if (host == null || host.isBlank()) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				host = "replica";
			}
		}
		String cleaned = host.replaceAll("[^A-Za-z0-9._:@-]", "-");
		String pid = "-" + ProcessHandle.current().pid();
		return cleaned.substring(0, Math.min(cleaned.length(), 100 - pid.length())) + pid;
	}

}
