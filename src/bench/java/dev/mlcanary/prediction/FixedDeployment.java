package dev.mlcanary.prediction;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;

/** One deployment, read through a volatile field as the service reads its atomic reference; no transitions. */
final class FixedDeployment implements DeploymentService {

	private volatile Deployment current;

	FixedDeployment(Deployment current) {
		this.current = current;
	}

	@Override
	public Deployment current() {
		return current;
	}

	@Override
	public Transition deployCanary(String version, String modelPath, Double weight, Long expectedGeneration) {
		throw new UnsupportedOperationException("benchmarks do not change the deployment");
	}

	@Override
	public Transition promoteCanary(Long expectedGeneration) {
		throw new UnsupportedOperationException("benchmarks do not change the deployment");
	}

	@Override
	public Transition rollbackCanary(Long expectedGeneration) {
		throw new UnsupportedOperationException("benchmarks do not change the deployment");
	}

	@Override
	public Transition toggleSlowdown(Long expectedGeneration) {
		throw new UnsupportedOperationException("benchmarks do not change the deployment");
	}

}
