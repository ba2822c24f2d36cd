package dev.mlcanary.prediction;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A request asked for a version that is neither the stable nor the canary one (HTTP 404):
 * only the versions being served can serve.
 */
public final class VersionNotServedException extends ProblemException {

	public static final URI TYPE = URI.create("urn:ml-canary:problem:version-not-served");

	private VersionNotServedException(String detail) {
		super(HttpStatus.NOT_FOUND, TYPE, "Version not served", detail, null);
	}

	/** Names the versions {@code deployment} serves, stable first. */
	public static VersionNotServedException of(String version, Deployment deployment) {
		List<String> serving = new ArrayList<>(2);
		serving.add(deployment.stable().version() + " (stable)");
		if (deployment.hasCanary()) {
			serving.add(deployment.canary().version() + " (canary)");
		}
		return new VersionNotServedException("Version '" + version + "' is not being served; the serving versions are "
				+ String.join(", ", serving) + ".");
	}

}
