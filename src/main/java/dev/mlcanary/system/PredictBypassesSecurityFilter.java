package dev.mlcanary.system;

import java.io.IOException;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;

/**
 * Spring Security's filter for every request except {@code POST /predict}. The security chain does
 * not apply to {@code /predict} ({@link SecurityConfiguration}), but Spring's filter still wrapped
 * each prediction in its firewall and matched the chains before finding that out, which cost about
 * 8 µs of CPU per request (README, "Performance"). Boot's registration of the filter is switched
 * off and replaced by this one, at the same order and for the same dispatcher types, which skips the
 * filter only when the raw request URI is exactly {@code /predict}: any other spelling of a path
 * goes through Spring Security as before.
 */
@Configuration(proxyBeanMethods = false)
class PredictBypassesSecurityFilter {

	static final String PREDICT = "/predict";

	private static final String BOOT_REGISTRATION = "securityFilterChainRegistration";

	@Bean
	static BeanPostProcessor bootSecurityFilterRegistrationOff() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DelegatingFilterProxyRegistrationBean registration
						&& BOOT_REGISTRATION.equals(beanName)) {
					registration.setEnabled(false);
				}
				return bean;
			}

		};
	}

	@Bean
	FilterRegistrationBean<Filter> securityFilterUnlessPredict(SecurityFilterProperties properties,
			WebApplicationContext context) {
		DelegatingFilterProxy security = new DelegatingFilterProxy("springSecurityFilterChain", context);
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new UnlessPredict(security));
		registration.setName("springSecurityFilterChainUnlessPredict");
		registration.setOrder(properties.getOrder());
		EnumSet<DispatcherType> types = EnumSet.noneOf(DispatcherType.class);
		properties.getDispatcherTypes().forEach(type -> types.add(DispatcherType.valueOf(type.name())));
		registration.setDispatcherTypes(types);
		return registration;
	}

	private record UnlessPredict(Filter security) implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			if (request instanceof HttpServletRequest http && PREDICT.equals(http.getRequestURI())) {
				chain.doFilter(request, response);
				return;
			}
			this.security.doFilter(request, response, chain);
		}

	}

}
