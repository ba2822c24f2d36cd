package dev.mlcanary.system;

import java.time.Clock;

import org.apache.catalina.core.StandardHost;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class ApplicationConfiguration {

	/**
	 * Tomcat on virtual threads whenever {@code spring.threads.virtual.enabled} is true
	 * and the JDK running the service has them (21 or newer), decided when the service
	 * starts. Spring Boot's own customizer decides it when the context is built, which
	 * under Spring's AOT processing is the build: a jar built on Java 17 and started with
	 * {@code -Dspring.aot.enabled=true} on Java 25 would otherwise serve on platform
	 * threads (ADR 0011). Where Boot's customizer has already set them, this leaves them.
	 */
	@Bean
	TomcatProtocolHandlerCustomizer<ProtocolHandler> virtualThreadsAtRuntime(
			@Value("${spring.threads.virtual.enabled:false}") boolean virtualThreads) {
		return (handler) -> {
			if (virtualThreads && Runtime.version().feature() >= 21
					&& !(handler.getExecutor() instanceof VirtualThreadExecutor)) {
				handler.setExecutor(new VirtualThreadExecutor("tomcat-handler-"));
			}
		};
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Tomcat's own error pages (for requests it refuses before Spring sees them) are
	 * problem+json too.
	 */
	@Bean
	TomcatContextCustomizer problemErrorPages() {
		return context -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		};
	}

	/**
	 * Query parameters given at most once and never empty, no body where none is read
	 * ({@link StrictRequests}).
	 */
	@Bean
	WebMvcConfigurer strictRequests() {
		return new WebMvcConfigurer() {
			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new StrictRequests());
			}
		};
	}

	/**
	 * Strict request bodies: a number where a string belongs ({@code {"model_path":
	 * 123}}) or a string where a number belongs ({@code {"weight": "abc"}}, also via
	 * {@code spring.jackson.mapper.*}) is a 400, not silently converted; so is a key
	 * given twice ({@code {"features": [...], "features": [...]}}).
	 */
	@Bean
	JsonMapperBuilderCustomizer strictScalars() {
		return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.withCoercionConfig(LogicalType.Textual,
					config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
