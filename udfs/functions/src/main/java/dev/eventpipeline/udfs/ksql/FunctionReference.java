package dev.eventpipeline.udfs.ksql;

import io.confluent.ksql.function.udf.Udf;
import io.confluent.ksql.function.udf.UdfDescription;
import io.confluent.ksql.function.udf.UdfParameter;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function reference in udfs/README.md, generated from the ksqlDB annotations of the wrapper
 * classes (name, description, arguments, return schema) and their {@code EXAMPLE} constants.
 * FunctionReferenceTest fails when the README is stale; regenerate with
 * {@code mvn -pl udfs/functions exec:java@function-reference}.
 */
public final class FunctionReference {
    public static final List<Class<?>> FUNCTIONS = List.of(UserProfileUdf.class, StoreContextUdf.class,
            SessionContextUdf.class, CartFeaturesUdf.class, ProcessingMetaUdf.class);
    public static final String START = "<!-- function-reference:start -->";
    public static final String END = "<!-- function-reference:end -->";
    private static final Pattern SECTION = Pattern.compile(Pattern.quote(START) + ".*?" + Pattern.quote(END), Pattern.DOTALL);

    private FunctionReference() {
    }

    public static String render() {
        StringBuilder out = new StringBuilder();
        for (Class<?> c : FUNCTIONS) {
            UdfDescription d = c.getAnnotation(UdfDescription.class);
            out.append("\n### `").append(d.name().toUpperCase(Locale.ROOT)).append("`\n\n")
                    .append(d.description()).append("\n\n");
            List<Method> methods = Arrays.stream(c.getMethods()).filter(m -> m.isAnnotationPresent(Udf.class))
                    .sorted(Comparator.comparing(Method::getName)).toList();
            for (Method m : methods) {
                Udf udf = m.getAnnotation(Udf.class);
                out.append("- Signature: `").append(d.name().toUpperCase(Locale.ROOT)).append('(');
                Parameter[] params = m.getParameters();
                for (int i = 0; i < params.length; i++) {
                    UdfParameter p = params[i].getAnnotation(UdfParameter.class);
                    out.append(i == 0 ? "" : ", ").append(p.value()).append(' ').append(sqlType(params[i].getType()));
                }
                out.append(")`\n- Returns (nullable): `").append(udf.schema()).append("`\n");
                for (Parameter param : params) {
                    UdfParameter p = param.getAnnotation(UdfParameter.class);
                    out.append("- `").append(p.value()).append("`: ").append(p.description()).append('\n');
                }
                out.append("- ").append(udf.description()).append('\n');
            }
            try {
                out.append("- Example: `").append(c.getField("EXAMPLE").get(null)).append("`\n");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(c + " has no EXAMPLE", e);
            }
        }
        return out.toString();
    }

    private static String sqlType(Class<?> type) {
        if (type == String.class) {
            return "STRING";
        }
        throw new IllegalArgumentException("no SQL type for " + type);
    }

    public static String replaceSection(String text) {
        Matcher m = SECTION.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + START + " ... " + END + " section");
        }
        return text.substring(0, m.start()) + START + "\n" + render() + "\n" + END + text.substring(m.end());
    }

    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args[0]);
        Files.writeString(readme, replaceSection(Files.readString(readme)));
    }
}
