package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.keyword.MinimumValidator;
import com.networknt.schema.path.NodePath;

import java.math.BigDecimal;

/**
 * The {@code minimum} keyword exactly as networknt checks it, with one shortcut. The library compares a
 * floating-point value by building two {@link BigDecimal}s from text ({@code Double.toString} of the
 * value, the schema's threshold) per check — a tenth of an event's validation for the cart schemas
 * (prices, totals: {@code "minimum": 0}). When the threshold is exactly a double and the value is a
 * double strictly above it, the value passes without that: the shortest decimal of a double {@code d}
 * lies above the midpoint between {@code d} and the next lower double, hence above any lower double
 * threshold. Every other case (equal, below, integers, thresholds that are not exact doubles) goes to
 * the library's own check, so verdicts and error messages are the library's.
 */
final class FastMinimum implements Keyword {
    static final String KEYWORD = "minimum";

    @Override
    public String getValue() {
        return KEYWORD;
    }

    @Override
    public KeywordValidator newValidator(SchemaLocation location, JsonNode schemaNode, Schema parent, SchemaContext context) {
        return new Validator(location, schemaNode, parent, context);
    }

    /** The threshold as a double when it is exactly one, else NaN (no shortcut). */
    static double exactThreshold(JsonNode schemaNode) {
        if (schemaNode == null || !schemaNode.isNumber()) {
            return Double.NaN;
        }
        try {
            BigDecimal text = new BigDecimal(schemaNode.asText());
            double d = text.doubleValue();
            return Double.isFinite(d) && new BigDecimal(d).compareTo(text) == 0 ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static final class Validator extends MinimumValidator {
        private final double threshold;

        Validator(SchemaLocation location, JsonNode schemaNode, Schema parent, SchemaContext context) {
            super(location, schemaNode, parent, context);
            this.threshold = exactThreshold(schemaNode);
        }

        @Override
        public void validate(ExecutionContext context, JsonNode node, JsonNode rootNode, NodePath instanceLocation) {
            if (node.isDouble()) {
                double d = node.doubleValue();
                if (Double.isFinite(d) && d > threshold) { // false for a NaN threshold
                    return;
                }
            }
            super.validate(context, node, rootNode, instanceLocation);
        }
    }
}
