package dev.mlcanary.apidocs;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * springdoc's model resolver, told two things about the records the API answers with.
 * Their property names are snake_case (the mapper it is given). And a component marked
 * JSpecify {@code @Nullable} is a property that may be {@code null}: its schema allows
 * {@code "null"} (OpenAPI 3.1, JSON Schema 2020-12), as
 * {@code "type": ["string", "null"]} (with {@code null} among the values of an enum), or
 * as {@code oneOf} the referenced schema and {@code null}. swagger-core reads only
 * declaration annotations, and JSpecify's are type annotations, hence this step. A record
 * that leaves nulls out of its JSON ({@code @JsonInclude(NON_NULL)}) has absent
 * properties rather than null ones, and is left as it is.
 */
final class ApiModelResolver extends ModelResolver {

	private static final String NULL = "null";

	ApiModelResolver(ObjectMapper mapper) {
		super(mapper);
		openapi31(true);
	}

	@Override
	public Schema resolve(AnnotatedType annotatedType, ModelConverterContext context, Iterator<ModelConverter> next) {
		Schema resolved = super.resolve(annotatedType, context, next);
		if (resolved == null || annotatedType == null || annotatedType.getType() == null) {
			return resolved;
		}
		JavaType type = annotatedType.getType() instanceof JavaType javaType ? javaType
				: _mapper.constructType(annotatedType.getType());
		Class<?> raw = type.getRawClass();
		if (!raw.isRecord() || omitsNulls(raw)) {
			return resolved;
		}
		Schema model = resolved.get$ref() == null ? resolved
				: context.getDefinedModels().get(resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1));
		if (model != null && model.getProperties() != null) {
			markNullable(type, raw, model);
		}
		return resolved;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void markNullable(JavaType type, Class<?> record, Schema model) {
		Map<String, String> jsonNames = _mapper.getSerializationConfig()
			.introspect(type)
			.findProperties()
			.stream()
			.collect(Collectors.toMap(BeanPropertyDefinition::getInternalName, BeanPropertyDefinition::getName,
					(a, b) -> a));
		Map<String, Schema> properties = model.getProperties();
		for (RecordComponent component : record.getRecordComponents()) {
			String name = jsonNames.get(component.getName());
			Schema property = name == null ? null : properties.get(name);
			if (property != null && component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
				properties.put(name, nullable(property));
			}
		}
	}

	/** The same schema, or {@code null}. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static Schema nullable(Schema property) {
		if (property.get$ref() != null) {
			Schema either = new Schema<>();
			either.setOneOf(new ArrayList<>(
					List.of(new Schema<>().$ref(property.get$ref()), new Schema<>().types(Set.of(NULL)))));
			either.setDescription(property.getDescription());
			return either;
		}
		if (property.getOneOf() != null) {
			return property;
		}
		Set<String> types = property.getTypes() == null ? new LinkedHashSet<>()
				: new LinkedHashSet<>(property.getTypes());
		if (types.isEmpty() || types.contains(NULL)) {
			return property;
		}
		types.add(NULL);
		property.setTypes(types);
		if (property.getEnum() != null && !property.getEnum().contains(null)) {
			List values = new ArrayList<>(property.getEnum());
			values.add(null);
			property.setEnum(values);
		}
		return property;
	}

	private static boolean omitsNulls(Class<?> type) {
		JsonInclude include = type.getAnnotation(JsonInclude.class);
		return include != null && include.value() != JsonInclude.Include.ALWAYS
				&& include.value() != JsonInclude.Include.USE_DEFAULTS;
	}

}
