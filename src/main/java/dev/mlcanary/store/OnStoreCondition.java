package dev.mlcanary.store;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition of {@link ConditionalOnStore}. */
class OnStoreCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects
			.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnStore.class.getName()));
		Store wanted = (Store) attributes.get("value");
		Store configured = Store.configured(context.getEnvironment());
		String message = Store.PROPERTY + " is " + configured.name().toLowerCase(java.util.Locale.ROOT);
		return configured == wanted ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
	}

}
