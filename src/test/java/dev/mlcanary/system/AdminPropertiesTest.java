package dev.mlcanary.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminPropertiesTest {

	@Test
	void blankTokensMeanNoToken() {
		assertThat(new AdminProperties("  ", "").tokenConfigured()).isFalse();
		assertThat(new AdminProperties(null, null).tokenConfigured()).isFalse();
	}

	@Test
	void refusesWeakOrInconsistentTokens() {
		assertThatThrownBy(() -> new AdminProperties("short", null)).hasMessageContaining("at least 16");
		assertThatThrownBy(() -> new AdminProperties(null, "reader-token-0123456789"))
			.hasMessageContaining("needs canary.admin.token");
		assertThatThrownBy(() -> new AdminProperties("same-token-0123456789", "same-token-0123456789"))
			.hasMessageContaining("must differ");
	}

}
