package dev.mlcanary.deployment;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mlcanary.model.ModelStore;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code models} in {@code /actuator/info}: the served versions and the ones available.
 */
@Component
class ModelsInfoContributor implements InfoContributor {

	private final DeploymentService deployments;

	private final ModelStore models;

	ModelsInfoContributor(DeploymentService deployments, ModelStore models) {
		this.deployments = deployments;
		this.models = models;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Deployment d = deployments.current();
		Map<String, Object> served = new LinkedHashMap<>();
		served.put("stable", d.stable().version());
		served.put("canary", d.hasCanary() ? d.canary().version() : null);
		served.put("available", models.versions());
		builder.withDetail("models", served);
	}

}
