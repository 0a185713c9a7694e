package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.eventpipeline.schema.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** One test (or a pair: compatible / incompatible) per rule of the README's rule table. */
class CompatibilityCheckerTest {

    private static List<String> read(String reader, String writer) {
        return CompatibilityChecker.canRead(obj(reader), obj(writer));
    }

    @Nested
    class Types {
        @Test
        void identicalSchemasAreCompatible() {
            assertThat(read("{'type':'string','minLength':1}", "{'type':'string','minLength':1}")).isEmpty();
        }

        @Test
        void wideningIntegerToNumberIsCompatible() {
            assertThat(read("{'type':'number'}", "{'type':'integer'}")).isEmpty();
        }

        @Test
        void narrowingNumberToIntegerIsIncompatible() {
            assertThat(read("{'type':'integer'}", "{'type':'number'}")).singleElement().asString().contains("TYPE_NARROWED");
        }

        @Test
        void addingATypeToAUnionWidens() {
            assertThat(read("{'type':['string','null']}", "{'type':'string'}")).isEmpty();
            assertThat(read("{'type':'string'}", "{'type':['string','null']}")).singleElement().asString().contains("TYPE_NARROWED");
        }

        @Test
        void changingTypeIsIncompatible() {
            assertThat(read("{'type':'string'}", "{'type':'boolean'}")).singleElement().asString().contains("TYPE_NARROWED");
        }

        @Test
        void constrainingAnUntypedValueIsIncompatible() {
            assertThat(read("{'type':'string'}", "{}")).singleElement().asString().contains("TYPE_NARROWED");
            assertThat(read("{}", "{'type':'string'}")).isEmpty();
        }

        @Test
        void annotationsDoNotMatter() {
            assertThat(read("{'type':'string','description':'new text','title':'T'}", "{'type':'string'}")).isEmpty();
        }
    }

    @Nested
    class Enums {
        @Test
        void addingEnumValuesWidens() {
            assertThat(read("{'type':'string','enum':['a','b','c']}", "{'type':'string','enum':['a','b']}")).isEmpty();
        }

        @Test
        void removingEnumValuesNarrows() {
            assertThat(read("{'type':'string','enum':['a']}", "{'type':'string','enum':['a','b']}"))
                    .singleElement().asString().contains("ENUM_NARROWED").contains("\"b\"");
        }

        @Test
        void addingAnEnumToAFreeStringNarrows() {
            assertThat(read("{'type':'string','enum':['a']}", "{'type':'string'}")).singleElement().asString().contains("ENUM_NARROWED");
        }

        @Test
        void constIsAOneValueEnum() {
            assertThat(read("{'type':'string','enum':['web','ios']}", "{'type':'string','const':'web'}")).isEmpty();
            assertThat(read("{'type':'string','const':'ios'}", "{'type':'string','const':'web'}")).singleElement().asString().contains("ENUM_NARROWED");
        }
    }

    @Nested
    class Bounds {
        @Test
        void relaxingBoundsIsCompatible() {
            assertThat(read("{'type':'integer','minimum':0,'maximum':1000}", "{'type':'integer','minimum':1,'maximum':999}")).isEmpty();
            assertThat(read("{'type':'string','maxLength':64}", "{'type':'string','maxLength':32}")).isEmpty();
        }

        @Test
        void tighteningBoundsIsIncompatible() {
            assertThat(read("{'type':'integer','minimum':5}", "{'type':'integer','minimum':1}")).singleElement().asString().contains("RANGE_NARROWED");
            assertThat(read("{'type':'integer','maximum':10}", "{'type':'integer'}")).singleElement().asString().contains("RANGE_NARROWED");
            assertThat(read("{'type':'string','maxLength':8}", "{'type':'string','maxLength':16}")).singleElement().asString().contains("RANGE_NARROWED");
            assertThat(read("{'type':'array','maxItems':2}", "{'type':'array','maxItems':3}")).singleElement().asString().contains("RANGE_NARROWED");
        }

        @Test
        void exclusiveBoundsCount() {
            assertThat(read("{'type':'number','exclusiveMinimum':0}", "{'type':'number','minimum':0}")).singleElement().asString().contains("RANGE_NARROWED");
            assertThat(read("{'type':'number','minimum':0}", "{'type':'number','exclusiveMinimum':0}")).isEmpty();
        }

        @Test
        void aConstWithinTheBoundsIsCompatible() {
            assertThat(read("{'type':'number','minimum':0}", "{'type':'integer','const':0}")).isEmpty();
            assertThat(read("{'type':'number','minimum':1}", "{'type':'integer','const':0}")).singleElement().asString().contains("RANGE_NARROWED");
        }

        @Test
        void addingOrChangingAPatternFormatOrMultipleOfIsIncompatible() {
            assertThat(read("{'type':'string','pattern':'^[A-Z]{3}$'}", "{'type':'string'}")).singleElement().asString().contains("PATTERN_CHANGED");
            assertThat(read("{'type':'string','format':'email'}", "{'type':'string'}")).singleElement().asString().contains("FORMAT_CHANGED");
            assertThat(read("{'type':'number','multipleOf':0.5}", "{'type':'number','multipleOf':0.25}")).singleElement().asString().contains("MULTIPLE_OF_CHANGED");
            assertThat(read("{'type':'string'}", "{'type':'string','pattern':'^a'}")).isEmpty();
        }
    }

    @Nested
    class Objects {
        private static final String CLOSED_AB = "{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'integer'}},'required':['a'],'additionalProperties':false}";
        private static final String CLOSED_A = "{'type':'object','properties':{'a':{'type':'string'}},'required':['a'],'additionalProperties':false}";
        private static final String OPEN_A = "{'type':'object','properties':{'a':{'type':'string'}},'required':['a']}";
        private static final String OPEN_AB = "{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'integer'}},'required':['a']}";

        @Test
        void addingAnOptionalPropertyAfterAClosedModelIsCompatible() {
            assertThat(read(CLOSED_AB, CLOSED_A)).isEmpty();
        }

        @Test
        void addingAPropertyToAnOpenModelIsIncompatible() {
            assertThat(read(OPEN_AB, OPEN_A)).singleElement().asString().contains("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL").contains("/b");
        }

        @Test
        void aClosedReaderRejectsAPropertyTheWriterSends() {
            assertThat(read(CLOSED_A, CLOSED_AB)).singleElement().asString().contains("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
        }

        @Test
        void anOpenReaderAcceptsAPropertyItNoLongerDeclares() {
            assertThat(read(OPEN_A, OPEN_AB)).isEmpty();
        }

        @Test
        void requiringANewPropertyIsIncompatible() {
            String reader = "{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'integer'}},'required':['a','b'],'additionalProperties':false}";
            assertThat(read(reader, CLOSED_A)).singleElement().asString().contains("REQUIRED_PROPERTY_ADDED").contains("/b");
        }

        @Test
        void droppingARequirementIsCompatible() {
            String reader = "{'type':'object','properties':{'a':{'type':'string'}},'additionalProperties':false}";
            assertThat(read(reader, CLOSED_A)).isEmpty();
        }

        @Test
        void closingAnOpenModelIsIncompatible() {
            assertThat(read(CLOSED_A, OPEN_A)).anySatisfy(p -> assertThat(p).contains("ADDITIONAL_PROPERTIES_NARROWED"));
        }

        @Test
        void openingAClosedModelIsCompatible() {
            assertThat(read(OPEN_A, CLOSED_A)).isEmpty();
        }

        @Test
        void nestedPropertiesAreChecked() {
            String w = "{'type':'object','properties':{'price':{'type':'object','properties':{'amount':{'type':'number'}}}}}";
            String r = "{'type':'object','properties':{'price':{'type':'object','properties':{'amount':{'type':'integer'}}}}}";
            assertThat(read(r, w)).singleElement().asString().startsWith("/price/amount: TYPE_NARROWED");
        }

        @Test
        void additionalPropertiesSchemasAreCompared() {
            assertThat(read("{'type':'object','additionalProperties':{'type':'number'}}",
                    "{'type':'object','additionalProperties':{'type':'integer'}}")).isEmpty();
            assertThat(read("{'type':'object','additionalProperties':{'type':'integer'}}",
                    "{'type':'object','additionalProperties':{'type':'number'}}")).singleElement().asString().contains("TYPE_NARROWED");
        }
    }

    @Nested
    class ArraysAndCombinators {
        @Test
        void itemsAreChecked() {
            assertThat(read("{'type':'array','items':{'type':'number'}}", "{'type':'array','items':{'type':'integer'}}")).isEmpty();
            assertThat(read("{'type':'array','items':{'type':'integer'}}", "{'type':'array','items':{'type':'number'}}"))
                    .singleElement().asString().contains("/[]").contains("TYPE_NARROWED");
            assertThat(read("{'type':'array','items':{'type':'integer'}}", "{'type':'array'}")).singleElement().asString().contains("ITEMS_NARROWED");
        }

        @Test
        void uniqueItemsAdded() {
            assertThat(read("{'type':'array','uniqueItems':true}", "{'type':'array'}")).singleElement().asString().contains("UNIQUE_ITEMS_ADDED");
        }

        @Test
        void readerAnyOfMustCoverEveryWriterBranch() {
            assertThat(read("{'anyOf':[{'type':'string'},{'type':'integer'}]}", "{'type':'integer'}")).isEmpty();
            assertThat(read("{'anyOf':[{'type':'string'},{'type':'integer'}]}", "{'anyOf':[{'type':'integer'},{'type':'boolean'}]}"))
                    .singleElement().asString().contains("COMBINATOR_NOT_SATISFIED");
        }

        @Test
        void opaqueKeywordsMustBeUnchanged() {
            assertThat(read("{'type':'string','not':{'const':'x'}}", "{'type':'string'}")).singleElement().asString().contains("UNSUPPORTED_KEYWORD_CHANGED");
            assertThat(read("{'type':'string','not':{'const':'x'}}", "{'type':'string','not':{'const':'x'}}")).isEmpty();
        }

        @Test
        void localRefsAreResolved() {
            String w = "{'$defs':{'qty':{'type':'integer'}},'type':'object','properties':{'q':{'$ref':'#/$defs/qty'}}}";
            String r = "{'$defs':{'qty':{'type':'number'}},'type':'object','properties':{'q':{'$ref':'#/$defs/qty'}}}";
            assertThat(read(r, w)).isEmpty();
            assertThat(read(w, r)).singleElement().asString().contains("TYPE_NARROWED");
        }

        @Test
        void booleanSchemas() {
            assertThat(CompatibilityChecker.canRead(Json.node("true"), obj("{'type':'string'}"))).isEmpty();
            assertThat(CompatibilityChecker.canRead(Json.node("false"), obj("{'type':'string'}"))).hasSize(1);
            assertThat(CompatibilityChecker.canRead(obj("{'type':'string'}"), Json.node("false"))).isEmpty();
        }
    }

    @Nested
    class Levels {
        final ObjectNode v1 = obj("{'type':'object','properties':{'price':{'type':'number'}},'required':['price'],'additionalProperties':false}");
        final ObjectNode v2 = obj("{'type':'object','properties':{'price':{'type':'number'},'note':{'type':'string'}},'required':['price'],'additionalProperties':false}");
        final ObjectNode v3narrow = obj("{'type':'object','properties':{'price':{'type':'integer'},'note':{'type':'string'}},'required':['price'],'additionalProperties':false}");

        private List<SchemaVersion> history(ObjectNode... schemas) {
            java.util.ArrayList<SchemaVersion> out = new java.util.ArrayList<>();
            for (int i = 0; i < schemas.length; i++) {
                out.add(new SchemaVersion("s", i + 1, i + 1, schemas[i], Migration.NONE, obj("{}"), java.time.Instant.EPOCH));
            }
            return out;
        }

        @Test
        void backwardAllowsAnOptionalFieldOnAClosedModelForwardDoesNot() {
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, v2, Migration.NONE, history(v1))).isEmpty();
            assertThat(CompatibilityChecker.check(Compatibility.FORWARD, v2, Migration.NONE, history(v1)))
                    .singleElement().asString().startsWith("FORWARD against version 1").contains("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
            assertThat(CompatibilityChecker.check(Compatibility.FULL, v2, Migration.NONE, history(v1))).hasSize(1);
            assertThat(CompatibilityChecker.check(Compatibility.NONE, v3narrow, Migration.NONE, history(v1))).isEmpty();
        }

        @Test
        void transitiveChecksEveryEarlierVersion() {
            // v1 {a:number} -> v2 {a:integer} with NONE -> v3 {a:integer}: BACKWARD passes (v2 only), BACKWARD_TRANSITIVE fails on v1.
            ObjectNode a = obj("{'type':'object','properties':{'a':{'type':'number'}}}");
            ObjectNode b = obj("{'type':'object','properties':{'a':{'type':'integer'}}}");
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, b, Migration.NONE, history(a, b))).isEmpty();
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD_TRANSITIVE, b, Migration.NONE, history(a, b)))
                    .singleElement().asString().startsWith("BACKWARD against version 1");
            assertThat(CompatibilityChecker.check(Compatibility.FORWARD_TRANSITIVE, b, Migration.NONE, history(a, b))).isEmpty();
            assertThat(CompatibilityChecker.check(Compatibility.FORWARD_TRANSITIVE, a, Migration.NONE, history(a, b)))
                    .singleElement().asString().startsWith("FORWARD against version 2");
            assertThat(CompatibilityChecker.check(Compatibility.FULL_TRANSITIVE, b, Migration.NONE, history(a, b))).hasSize(1);
        }

        @Test
        void aMigrationDefaultMakesANewRequiredFieldBackwardCompatible() {
            ObjectNode withSource = obj("{'type':'object','properties':{'price':{'type':'number'},'source':{'type':'string','enum':['web','ios']}},'required':['price','source'],'additionalProperties':false}");
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, withSource, Migration.NONE, history(v1)))
                    .singleElement().asString().contains("REQUIRED_PROPERTY_ADDED");
            Migration m = new Migration(Map.of(), List.of(), Map.of("source", Json.node("'web'")));
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, withSource, m, history(v1))).isEmpty();
            Migration bad = new Migration(Map.of(), List.of(), Map.of("source", Json.node("'android'")));
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, withSource, bad, history(v1)))
                    .singleElement().asString().contains("ENUM_NARROWED");
        }

        @Test
        void aRenameIsBackwardCompatibleOnlyWithItsMigration() {
            ObjectNode renamed = obj("{'type':'object','properties':{'unitPrice':{'type':'number'}},'required':['unitPrice'],'additionalProperties':false}");
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, renamed, Migration.NONE, history(v1))).hasSize(2);
            Migration m = new Migration(Map.of("price", "unitPrice"), List.of(), Map.of());
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, renamed, m, history(v1))).isEmpty();
        }

        @Test
        void removingAFieldFromAClosedModelNeedsARemove() {
            ObjectNode two = obj("{'type':'object','properties':{'price':{'type':'number'},'legacy':{'type':'string'}},'required':['price'],'additionalProperties':false}");
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, v1, Migration.NONE, history(two)))
                    .singleElement().asString().contains("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
            assertThat(CompatibilityChecker.check(Compatibility.BACKWARD, v1, new Migration(Map.of(), List.of("legacy"), Map.of()), history(two))).isEmpty();
        }
    }
}
