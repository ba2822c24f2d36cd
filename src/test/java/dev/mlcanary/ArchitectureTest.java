package dev.mlcanary;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package graph of the main code (docs/development.md, "Layout"): features depend in
 * one direction, {@code system} and the shared leaves know no feature.
 */
class ArchitectureTest {

	/**
	 * The main classes only, from where they were compiled
	 * (src/test/resources/archunit.properties).
	 */
	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPath(Path.of(Application.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

	@Test
	void noCycleBetweenPackages() {
		slices().matching("dev.mlcanary.(*)..").should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void systemImportsNoFeature() {
		noClasses().that()
			.resideInAPackage("dev.mlcanary.system..")
			.should()
			.dependOnClassesThat(resideInAPackage("dev.mlcanary..").and(not(resideInAPackage("dev.mlcanary.system.."))))
			.check(MAIN);
	}

	@Test
	void statisticsIsPureMathWithoutSpringOrFeatures() {
		noClasses().that()
			.resideInAPackage("dev.mlcanary.statistics..")
			.should()
			.dependOnClassesThat(resideInAnyPackage("org.springframework..", "jakarta.servlet..")
				.or(resideInAPackage("dev.mlcanary..").and(not(resideInAPackage("dev.mlcanary.statistics..")))))
			.check(MAIN);
	}

	@Test
	void sharedTypesDependOnNoFeature() {
		noClasses().that()
			.resideInAPackage("dev.mlcanary.shared..")
			.should()
			.dependOnClassesThat(resideInAPackage("dev.mlcanary..")
				.and(not(resideInAnyPackage("dev.mlcanary.shared..", "dev.mlcanary.statistics.."))))
			.check(MAIN);
	}

	@Test
	void theStoreIsPlumbingThatKnowsNoFeature() {
		noClasses().that()
			.resideInAPackage("dev.mlcanary.store..")
			.should()
			.dependOnClassesThat(resideInAPackage("dev.mlcanary..")
				.and(not(resideInAnyPackage("dev.mlcanary.store..", "dev.mlcanary.system.."))))
			.check(MAIN);
	}

	@Test
	void theSimulatorIsAPlainClientOfTheHttpApi() {
		noClasses().that()
			.resideInAPackage("dev.mlcanary.simulator..")
			.should()
			.dependOnClassesThat(resideInAnyPackage("org.springframework..")
				.or(resideInAPackage("dev.mlcanary..").and(not(resideInAPackage("dev.mlcanary.simulator..")))))
			.check(MAIN);
	}

	@Test
	void everyPackageIsNullMarked() {
		Set<String> unmarked = new TreeSet<>();
		for (JavaPackage pkg : List.copyOf(MAIN.getPackage("dev.mlcanary").getSubpackagesInTree())) {
			if (!pkg.getClasses().isEmpty() && !pkg.isAnnotatedWith(NullMarked.class)) {
				unmarked.add(pkg.getName());
			}
		}
		if (!MAIN.getPackage("dev.mlcanary").isAnnotatedWith(NullMarked.class)) {
			unmarked.add("dev.mlcanary");
		}
		assertThat(unmarked).as("packages without a package-info.java marked @NullMarked").isEmpty();
	}

}
