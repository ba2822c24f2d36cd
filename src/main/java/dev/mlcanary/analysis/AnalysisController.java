package dev.mlcanary.analysis;

import dev.mlcanary.deployment.DeploymentService;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class AnalysisController {

	private final DeploymentService deployments;

	private final CanaryHealthService health;

	AnalysisController(DeploymentService deployments, CanaryHealthService health) {
		this.deployments = deployments;
		this.health = health;
	}

	@GetMapping("/check-canary-health")
	HealthReport checkCanaryHealth() {
		return health.check(deployments.current());
	}

}
