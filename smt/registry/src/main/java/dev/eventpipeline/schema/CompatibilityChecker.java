package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a <em>reader</em> JSON Schema accepts every document a <em>writer</em> JSON Schema
 * accepts ({@link #canRead}), and applies that per {@link Compatibility} level. The rules (one
 * incompatibility code each) are written down with examples in the module README:
 *
 * <ul>
 *   <li>{@code TYPE_NARROWED}: the writer allows a type the reader does not ({@code integer} is
 *       within {@code number}, so integer→number widens and number→integer narrows).</li>
 *   <li>{@code ENUM_NARROWED}: the reader's {@code enum}/{@code const} lacks a value the writer allows.</li>
 *   <li>{@code RANGE_NARROWED}: a tighter {@code minimum/maximum/exclusive*}, {@code minLength/maxLength},
 *       {@code minItems/maxItems}, {@code minProperties/maxProperties} in the reader.</li>
 *   <li>{@code PATTERN_CHANGED}, {@code FORMAT_CHANGED}, {@code MULTIPLE_OF_CHANGED}: added or changed in the reader.</li>
 *   <li>{@code REQUIRED_PROPERTY_ADDED}: the reader requires a property the writer does not guarantee.</li>
 *   <li>{@code PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL}: the writer may send a property the
 *       reader's closed model ({@code additionalProperties:false}) rejects.</li>
 *   <li>{@code PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL}: the reader constrains a property the writer's
 *       open model may send with any value.</li>
 *   <li>{@code ADDITIONAL_PROPERTIES_NARROWED}: open→closed, or a stricter {@code additionalProperties} schema.</li>
 *   <li>{@code ITEMS_NARROWED}, {@code UNIQUE_ITEMS_ADDED}: array rules.</li>
 *   <li>{@code COMBINATOR_NOT_SATISFIED}: no {@code anyOf}/{@code oneOf} branch of the reader reads a writer branch.</li>
 *   <li>{@code UNSUPPORTED_KEYWORD_CHANGED}: {@code allOf}, {@code not}, {@code if/then/else},
 *       {@code patternProperties}, {@code prefixItems}, ... differ: refused rather than guessed.</li>
 * </ul>
 * Local {@code $ref}s ({@code #/$defs/...}) are resolved; remote ones are refused at registration.
 */
public final class CompatibilityChecker {
    private static final int MAX_DEPTH = 64;
    private static final List<String> OPAQUE_KEYWORDS = List.of("allOf", "not", "if", "then", "else",
            "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "prefixItems",
            "contains", "unevaluatedProperties", "unevaluatedItems");

    private CompatibilityChecker() {
    }

    /**
     * Incompatibilities of registering {@code candidate} (with {@code migration} from the latest
     * version) after {@code previous} (oldest first) at {@code level}; empty when compatible.
     */
    public static List<String> check(Compatibility level, JsonNode candidate, Migration migration,
                                     List<SchemaVersion> previous) {
        List<String> out = new ArrayList<>();
        if (level == Compatibility.NONE || previous.isEmpty()) {
            return out;
        }
        int from = level.transitive() ? 0 : previous.size() - 1;
        for (int i = from; i < previous.size(); i++) {
            SchemaVersion old = previous.get(i);
            if (level.backward()) {
                // Events of `old` reach readers of the candidate after every later migration.
                JsonNode migrated = old.schema();
                for (int j = i + 1; j < previous.size(); j++) {
                    migrated = previous.get(j).migration().applyToSchema(migrated);
                }
                migrated = migration.applyToSchema(migrated);
                for (String problem : canRead(candidate, migrated)) {
                    out.add("BACKWARD against version " + old.version() + ": " + problem);
                }
            }
            if (level.forward()) {
                for (String problem : canRead(old.schema(), candidate)) {
                    out.add("FORWARD against version " + old.version() + ": " + problem);
                }
            }
        }
        return out;
    }

    /** Problems that keep {@code reader} from accepting every document valid against {@code writer}. */
    public static List<String> canRead(JsonNode reader, JsonNode writer) {
        List<String> out = new ArrayList<>();
        new Walk(reader, writer, out).check("", reader, writer, 0);
        return out;
    }

    private record Walk(JsonNode readerRoot, JsonNode writerRoot, List<String> out) {

        void check(String path, JsonNode r, JsonNode w, int depth) {
            String at = path.isEmpty() ? "/" : path;
            if (depth > MAX_DEPTH) {
                out.add(at + ": UNSUPPORTED_KEYWORD_CHANGED: schemas nest deeper than " + MAX_DEPTH);
                return;
            }
            r = resolve(readerRoot, r);
            w = resolve(writerRoot, w);
            if (r == null || isTrue(r) || isFalse(w)) {
                return; // reader accepts anything, or writer produces nothing
            }
            if (isFalse(r)) {
                out.add(at + ": TYPE_NARROWED: the reader accepts nothing here");
                return;
            }
            if (w == null || isTrue(w)) {
                w = BooleanNode.TRUE;
            }
            if (stripAnnotations(r).equals(stripAnnotations(w))) {
                return;
            }
            // Writer alternatives: each must be readable.
            for (String comb : List.of("anyOf", "oneOf")) {
                if (w.isObject() && w.get(comb) != null && w.get(comb).isArray() && !sameKeyword(r, w, comb)) {
                    for (JsonNode branch : w.get(comb)) {
                        check(path, r, merge(w, comb, branch), depth + 1);
                    }
                    return;
                }
            }
            // Reader alternatives: some branch must read the writer.
            for (String comb : List.of("anyOf", "oneOf")) {
                if (r.get(comb) != null && r.get(comb).isArray() && !sameKeyword(r, w, comb)) {
                    for (JsonNode branch : r.get(comb)) {
                        if (canReadAt(merge(r, comb, branch), w, depth)) {
                            return;
                        }
                    }
                    out.add(at + ": COMBINATOR_NOT_SATISFIED: no " + comb + " branch of the reader accepts the writer's values");
                    return;
                }
            }
            for (String keyword : OPAQUE_KEYWORDS) {
                if (!sameKeyword(r, w, keyword)) {
                    out.add(at + ": UNSUPPORTED_KEYWORD_CHANGED: '" + keyword + "' differs; only identical "
                            + keyword + " is accepted");
                }
            }
            checkTypes(at, r, w);
            checkEnum(at, r, w);
            checkBounds(at, r, w);
            checkObject(path, r, w, depth);
            checkArray(path, r, w, depth);
        }

        boolean canReadAt(JsonNode r, JsonNode w, int depth) {
            List<String> probe = new ArrayList<>();
            new Walk(readerRoot, writerRoot, probe).check("", r, w, depth + 1);
            return probe.isEmpty();
        }

        void checkTypes(String at, JsonNode r, JsonNode w) {
            Set<String> rt = types(r);
            if (rt.isEmpty()) {
                return;
            }
            Set<String> wt = types(w);
            if (wt.isEmpty()) {
                wt = inferredTypes(w);
            }
            if (wt.isEmpty()) {
                out.add(at + ": TYPE_NARROWED: the writer allows any type, the reader only " + rt);
                return;
            }
            List<String> missing = new ArrayList<>();
            for (String t : wt) {
                boolean ok = rt.contains(t) || ("integer".equals(t) && rt.contains("number"));
                if (!ok) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                out.add(at + ": TYPE_NARROWED: the writer allows " + missing + ", the reader only " + rt);
            }
        }

        void checkEnum(String at, JsonNode r, JsonNode w) {
            List<JsonNode> re = enumValues(r);
            if (re == null) {
                return;
            }
            List<JsonNode> we = enumValues(w);
            if (we == null) {
                out.add(at + ": ENUM_NARROWED: the reader allows only " + re + ", the writer any value");
                return;
            }
            List<JsonNode> missing = we.stream().filter(v -> !containsValue(re, v)).toList();
            if (!missing.isEmpty()) {
                out.add(at + ": ENUM_NARROWED: the reader lacks " + missing);
            }
        }

        void checkBounds(String at, JsonNode r, JsonNode w) {
            lower(at, r, w, "minimum", "exclusiveMinimum");
            upper(at, r, w, "maximum", "exclusiveMaximum");
            lower(at, r, w, "minLength", null);
            upper(at, r, w, "maxLength", null);
            lower(at, r, w, "minItems", null);
            upper(at, r, w, "maxItems", null);
            lower(at, r, w, "minProperties", null);
            upper(at, r, w, "maxProperties", null);
            same(at, r, w, "pattern", "PATTERN_CHANGED");
            same(at, r, w, "format", "FORMAT_CHANGED");
            same(at, r, w, "multipleOf", "MULTIPLE_OF_CHANGED");
        }

        void lower(String at, JsonNode r, JsonNode w, String incl, String excl) {
            Double rv = bound(r, incl, excl, true);
            if (rv == null) {
                return;
            }
            Double wv = bound(w, incl, excl, true);
            if (wv == null || wv < rv) {
                out.add(at + ": RANGE_NARROWED: reader " + incl + " " + fmt(rv) + " > writer " + (wv == null ? "none" : fmt(wv)));
            }
        }

        void upper(String at, JsonNode r, JsonNode w, String incl, String excl) {
            Double rv = bound(r, incl, excl, false);
            if (rv == null) {
                return;
            }
            Double wv = bound(w, incl, excl, false);
            if (wv == null || wv > rv) {
                out.add(at + ": RANGE_NARROWED: reader " + incl + " " + fmt(rv) + " < writer " + (wv == null ? "none" : fmt(wv)));
            }
        }

        /** Effective bound; an exclusive bound is shifted by a tiny epsilon (exact for integers in practice). */
        Double bound(JsonNode s, String incl, String excl, boolean lower) {
            Double v = s.path(incl).isNumber() ? s.get(incl).doubleValue() : null;
            if (excl != null && s.path(excl).isNumber()) {
                double e = s.get(excl).doubleValue() + (lower ? 1e-9 : -1e-9);
                v = v == null ? e : (lower ? Math.max(v, e) : Math.min(v, e));
            }
            if (v == null && ("minimum".equals(incl) || "maximum".equals(incl))) {
                List<JsonNode> values = enumValues(s);
                if (values != null && !values.isEmpty() && values.stream().allMatch(JsonNode::isNumber)) {
                    java.util.DoubleSummaryStatistics st = values.stream().mapToDouble(JsonNode::doubleValue).summaryStatistics();
                    v = lower ? st.getMin() : st.getMax();
                }
            }
            return v;
        }

        void same(String at, JsonNode r, JsonNode w, String keyword, String code) {
            if (r.has(keyword) && !r.get(keyword).equals(w.get(keyword))) {
                out.add(at + ": " + code + ": reader " + keyword + " " + r.get(keyword) + ", writer "
                        + (w.has(keyword) ? w.get(keyword) : "none"));
            }
        }

        void checkObject(String path, JsonNode r, JsonNode w, int depth) {
            boolean objectish = r.has("properties") || r.has("required") || r.has("additionalProperties")
                    || w.has("properties") || w.has("additionalProperties");
            if (!objectish) {
                return;
            }
            String at = path.isEmpty() ? "/" : path;
            JsonNode rProps = r.path("properties");
            JsonNode wProps = w.path("properties");
            JsonNode rAdd = r.get("additionalProperties");
            JsonNode wAdd = w.get("additionalProperties");
            for (Iterator<String> it = wProps.fieldNames(); it.hasNext(); ) {
                String p = it.next();
                if (rProps.has(p)) {
                    check(path + "/" + p, rProps.get(p), wProps.get(p), depth + 1);
                } else if (rAdd != null && isFalse(resolve(readerRoot, rAdd))) {
                    out.add(path + "/" + p + ": PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: the writer may send '" + p
                            + "', the reader's closed model rejects it");
                } else if (rAdd != null) {
                    check(path + "/" + p, rAdd, wProps.get(p), depth + 1);
                }
            }
            for (Iterator<String> it = rProps.fieldNames(); it.hasNext(); ) {
                String p = it.next();
                if (wProps.has(p)) {
                    continue;
                }
                JsonNode wa = wAdd == null ? null : resolve(writerRoot, wAdd);
                if (wa != null && isFalse(wa)) {
                    continue; // writer never sends p
                }
                if (wa == null || isTrue(wa)) {
                    if (!isTrue(resolve(readerRoot, rProps.get(p)))) {
                        out.add(path + "/" + p + ": PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: the writer's open model may send '"
                                + p + "' with any value, the reader constrains it");
                    }
                } else {
                    check(path + "/" + p, rProps.get(p), wa, depth + 1);
                }
            }
            Set<String> wReq = strings(w.path("required"));
            for (String p : strings(r.path("required"))) {
                if (!wReq.contains(p)) {
                    out.add(path + "/" + p + ": REQUIRED_PROPERTY_ADDED: the reader requires '" + p
                            + "', the writer does not guarantee it (declare a migration default)");
                }
            }
            if (rAdd != null) {
                JsonNode ra = resolve(readerRoot, rAdd);
                JsonNode wa = wAdd == null ? BooleanNode.TRUE : resolve(writerRoot, wAdd);
                if (!isTrue(ra) && !isFalse(wa)) {
                    if (isFalse(ra) && (isTrue(wa) || wa.isObject())) {
                        out.add(at + ": ADDITIONAL_PROPERTIES_NARROWED: the writer's model is open, the reader's closed");
                    } else if (isTrue(wa)) {
                        out.add(at + ": ADDITIONAL_PROPERTIES_NARROWED: the reader constrains additional properties, the writer does not");
                    } else {
                        check(path + "/*", ra, wa, depth + 1);
                    }
                }
            }
        }

        void checkArray(String path, JsonNode r, JsonNode w, int depth) {
            String at = path.isEmpty() ? "/" : path;
            if (r.has("items")) {
                JsonNode wi = w.has("items") ? w.get("items") : BooleanNode.TRUE;
                List<String> before = new ArrayList<>(out);
                check(path + "/[]", r.get("items"), wi, depth + 1);
                if (!w.has("items") && out.size() > before.size()) {
                    out.subList(before.size(), out.size()).clear();
                    out.add(at + ": ITEMS_NARROWED: the reader constrains items, the writer does not");
                }
            }
            if (r.path("uniqueItems").asBoolean(false) && !w.path("uniqueItems").asBoolean(false)) {
                out.add(at + ": UNIQUE_ITEMS_ADDED: the reader requires unique items");
            }
        }

        static JsonNode resolve(JsonNode root, JsonNode s) {
            int guard = 0;
            while (s != null && s.isObject() && s.has("$ref") && guard++ < 16) {
                String ref = s.get("$ref").asText();
                if (!ref.startsWith("#")) {
                    return s;
                }
                JsonNode target = root.at(ref.substring(1));
                if (target.isMissingNode()) {
                    return s;
                }
                s = target;
            }
            return s;
        }
    }

    static boolean isTrue(JsonNode s) {
        return s != null && (s.isBoolean() && s.booleanValue() || s.isObject() && stripAnnotations(s).isEmpty());
    }

    static boolean isFalse(JsonNode s) {
        return s != null && s.isBoolean() && !s.booleanValue();
    }

    /** The schema without keywords that never affect validation. */
    static JsonNode stripAnnotations(JsonNode s) {
        if (s == null || !s.isObject()) {
            return s;
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) s).deepCopy();
        copy.remove(List.of("title", "description", "examples", "default", "$comment", "deprecated",
                "readOnly", "writeOnly", "$schema", "$id"));
        return copy;
    }

    static boolean sameKeyword(JsonNode r, JsonNode w, String keyword) {
        JsonNode a = r.get(keyword);
        JsonNode b = w.get(keyword);
        return a == null ? b == null : a.equals(b);
    }

    static JsonNode merge(JsonNode base, String without, JsonNode branch) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) base).deepCopy();
        copy.remove(without);
        if (branch.isObject()) {
            branch.fields().forEachRemaining(e -> copy.set(e.getKey(), e.getValue()));
            return copy;
        }
        return copy.isEmpty() ? branch : copy; // boolean branch
    }

    static Set<String> types(JsonNode s) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode t = s.get("type");
        if (t == null) {
            return out;
        }
        if (t.isTextual()) {
            out.add(t.textValue());
        } else if (t.isArray()) {
            t.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static Set<String> inferredTypes(JsonNode s) {
        Set<String> out = new LinkedHashSet<>();
        List<JsonNode> values = enumValues(s);
        if (values != null) {
            values.forEach(v -> out.add(Migration.jsonType(v)));
        }
        return out;
    }

    static List<JsonNode> enumValues(JsonNode s) {
        if (s.has("const")) {
            return List.of(s.get("const"));
        }
        if (s.get("enum") != null && s.get("enum").isArray()) {
            List<JsonNode> out = new ArrayList<>();
            s.get("enum").forEach(out::add);
            return out;
        }
        return null;
    }

    static boolean containsValue(List<JsonNode> values, JsonNode v) {
        for (JsonNode x : values) {
            if (x.equals(v) || x.isNumber() && v.isNumber() && x.decimalValue().compareTo(v.decimalValue()) == 0) {
                return true;
            }
        }
        return false;
    }

    static Set<String> strings(JsonNode arr) {
        Set<String> out = new LinkedHashSet<>();
        if (arr.isArray()) {
            arr.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
