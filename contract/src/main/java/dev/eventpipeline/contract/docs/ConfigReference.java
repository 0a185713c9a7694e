package dev.eventpipeline.contract.docs;

import org.apache.kafka.common.config.ConfigDef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link ConfigDef} as a Markdown reference, grouped as the ConfigDef groups its keys,
 * and keeps it in a README between {@code <!-- config-reference:start -->} and
 * {@code <!-- config-reference:end -->} markers. Each plugin's unit test calls
 * {@link #isCurrent(Path, ConfigDef)} so a stale reference fails the build; {@link #main} rewrites it.
 */
public final class ConfigReference {
    public static final String START = "<!-- config-reference:start -->";
    public static final String END = "<!-- config-reference:end -->";
    private static final Pattern SECTION = Pattern.compile(Pattern.quote(START) + ".*?" + Pattern.quote(END), Pattern.DOTALL);

    private ConfigReference() {
    }

    public static String render(ConfigDef def) {
        Map<String, StringBuilder> groups = new LinkedHashMap<>();
        // Groups in declaration order, keys by orderInGroup then name (what ConfigDef.toRst does).
        List<String> groupOrder = def.groups();
        List<ConfigDef.ConfigKey> keys = def.configKeys().values().stream()
                .sorted(java.util.Comparator
                        .comparingInt((ConfigDef.ConfigKey k) -> k.group == null ? Integer.MAX_VALUE : groupOrder.indexOf(k.group))
                        .thenComparingInt(k -> k.orderInGroup)
                        .thenComparing(k -> k.name))
                .toList();
        for (ConfigDef.ConfigKey key : keys) {
            String group = key.group == null ? "General" : key.group;
            StringBuilder out = groups.computeIfAbsent(group, g -> new StringBuilder()
                    .append("\n### ").append(g).append("\n\n")
                    .append("| key | type | default | valid values | importance | description |\n")
                    .append("| --- | --- | --- | --- | --- | --- |\n"));
            out.append("| `").append(key.name).append("` | ")
                    .append(key.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(cell(defaultOf(key))).append(" | ")
                    .append(cell(key.validator == null ? "" : key.validator.toString())).append(" | ")
                    .append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(cell(key.documentation)).append(" |\n");
        }
        StringBuilder doc = new StringBuilder();
        groups.values().forEach(doc::append);
        return doc.toString();
    }

    /** True when the README's marked section equals the rendering of {@code def}. */
    public static boolean isCurrent(Path readme, ConfigDef def) throws IOException {
        String text = Files.readString(readme);
        return text.equals(replaceSection(text, def));
    }

    /** Rewrites the marked section of each README: {@code main(readme, configDefSupplierClass)}. */
    public static void write(Path readme, ConfigDef def) throws IOException {
        Files.writeString(readme, replaceSection(Files.readString(readme), def));
    }

    static String replaceSection(String text, ConfigDef def) {
        Matcher m = SECTION.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + START + " ... " + END + " section");
        }
        String section = START + "\n" + render(def) + "\n" + END;
        return text.substring(0, m.start()) + section + text.substring(m.end());
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return key.defaultValue == null ? "null" : "[hidden]";
        }
        Object value = key.defaultValue;
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value == null ? "null" : "`" + value + "`";
    }

    private static String cell(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
