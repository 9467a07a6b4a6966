package dev.berth.platform.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kibana saved objects as Kibana 8.x exports them (NDJSON, one object a line), read for what they ask of the
 * Elasticsearch mapping: the field names they reference (data view time field, saved search columns, sort and
 * breakdown fields, KQL/Lucene query fields, filters, Lens and legacy visualization fields) and the references between
 * objects. Immutable; a new instance per file.
 */
public final class KibanaObjects {

    /** One saved object: {@code type} and {@code id} identify it, {@code references} point at other objects. */
    public record SavedObject(String type, String id, String title, JsonNode attributes, List<Reference> references) {
        public String key() {
            return type + ":" + id;
        }
    }

    public record Reference(String type, String id, String name) {
    }

    /** A saved search's query, e.g. {@code kuery} / {@code log.level: ERROR}. */
    public record SavedQuery(String language, String query) {
    }

    /** Lens's pseudo-field for "count of records": no field of the mapping. */
    private static final String LENS_RECORDS = "___records___";
    private static final Set<String> FIELD_KEYED_QUERIES =
            Set.of("match_phrase", "match", "term", "terms", "range", "prefix", "wildcard", "regexp", "fuzzy");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    /** {@code field:}, {@code field <=} … in KQL and Lucene (after quoted values are blanked out). */
    private static final Pattern QUERY_FIELD = Pattern.compile("([@\\w][@\\w.\\-]*)\\s*(?::|<=|>=|<|>)");
    /** Lucene's {@code _exists_:field}. */
    private static final Pattern EXISTS_FIELD = Pattern.compile("_exists_\\s*:\\s*([@\\w][@\\w.\\-]*)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<SavedObject> objects;

    private KibanaObjects(List<SavedObject> objects) {
        this.objects = List.copyOf(objects);
    }

    public static KibanaObjects read(Path ndjson) {
        try {
            return parse(Files.readString(ndjson));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ndjson, e);
        }
    }

    /** Parses an export; its trailing summary line ({@code exportedCount} …), if any, is not an object. */
    public static KibanaObjects parse(String ndjson) {
        List<SavedObject> objects = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json(line);
            if (node.has("exportedCount")) {
                continue;
            }
            if (!node.hasNonNull("type") || !node.hasNonNull("id") || !node.has("attributes")) {
                throw new IllegalArgumentException("not a saved object (type, id and attributes required): " + line);
            }
            List<Reference> references = new ArrayList<>();
            node.path("references").forEach(r -> references.add(
                    new Reference(r.path("type").asText(), r.path("id").asText(), r.path("name").asText())));
            JsonNode attributes = node.get("attributes");
            objects.add(new SavedObject(node.get("type").asText(), node.get("id").asText(),
                    attributes.path("title").asText(), attributes, references));
        }
        return new KibanaObjects(objects);
    }

    public List<SavedObject> objects() {
        return objects;
    }

    /** Every field name any object references, sorted; a data view's runtime fields are its own, not the mapping's. */
    public SortedSet<String> referencedFields() {
        SortedSet<String> all = new TreeSet<>();
        referencedFieldsByObject().values().forEach(all::addAll);
        return all;
    }

    /** The fields each object ({@link SavedObject#key()}) references; objects referencing none are left out. */
    public Map<String, SortedSet<String>> referencedFieldsByObject() {
        Set<String> runtimeFields = runtimeFields();
        Map<String, SortedSet<String>> byObject = new LinkedHashMap<>();
        for (SavedObject o : objects) {
            SortedSet<String> fields = new TreeSet<>(aggregatedFields(o));
            JsonNode a = o.attributes();
            a.path("columns").forEach(c -> fields.add(c.asText()));
            if (o.type().equals("index-pattern")) {
                // custom labels and formats name fields of the mapping
                fields.addAll(keys(a.path("fieldAttrs")));
                fields.addAll(keys(a.path("fieldFormatMap")));
            }
            addSearchSource(a.path("kibanaSavedObjectMeta").path("searchSourceJSON"), fields);
            if (o.type().equals("lens")) {
                addQuery(a.path("state").path("query"), fields);
                a.path("state").path("filters").forEach(f -> addFilter(f, fields));
            }
            fields.remove("_source");
            fields.removeAll(runtimeFields);
            if (!fields.isEmpty()) {
                byObject.put(o.key(), fields);
            }
        }
        return byObject;
    }

    /**
     * The fields objects sort, bucket or aggregate on (time field, sort, breakdown, Lens and visualization fields):
     * these need doc values, so a {@code text} field there breaks the object.
     */
    public SortedSet<String> aggregatedFields() {
        SortedSet<String> all = new TreeSet<>();
        objects.forEach(o -> all.addAll(aggregatedFields(o)));
        all.removeAll(runtimeFields());
        return all;
    }

    /** The data views' time fields. */
    public SortedSet<String> timeFields() {
        SortedSet<String> fields = new TreeSet<>();
        objects.stream().filter(o -> o.type().equals("index-pattern"))
                .forEach(o -> addText(o.attributes().path("timeFieldName"), fields));
        return fields;
    }

    /** The query a saved search runs, by the search's title. */
    public Map<String, SavedQuery> savedSearchQueries() {
        Map<String, SavedQuery> queries = new LinkedHashMap<>();
        for (SavedObject o : objects) {
            if (o.type().equals("search")) {
                JsonNode query = searchSource(o.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON")).path("query");
                queries.put(o.title(), new SavedQuery(query.path("language").asText(), query.path("query").asText()));
            }
        }
        return queries;
    }

    /**
     * References that do not resolve, both ways: a {@code references[]} entry pointing at no object of this export
     * ("type:id -> type:id (name)"), and a reference name the attributes use (a search source's indexRefName, a
     * dashboard panel's panelRefName, a Lens layer's data view) that the object's {@code references[]} lack
     * ("type:id uses name").
     */
    public List<String> unresolvedReferences() {
        Set<String> present = new TreeSet<>();
        objects.forEach(o -> present.add(o.key()));
        List<String> unresolved = new ArrayList<>();
        for (SavedObject o : objects) {
            Set<String> names = new TreeSet<>();
            for (Reference r : o.references()) {
                names.add(r.name());
                if (!present.contains(r.type() + ":" + r.id())) {
                    unresolved.add(o.key() + " -> " + r.type() + ":" + r.id() + " (" + r.name() + ")");
                }
            }
            for (String used : referenceNamesUsed(o)) {
                if (!names.contains(used)) {
                    unresolved.add(o.key() + " uses " + used);
                }
            }
        }
        return unresolved;
    }

    private static Set<String> referenceNamesUsed(SavedObject o) {
        Set<String> used = new TreeSet<>();
        JsonNode a = o.attributes();
        addText(searchSource(a.path("kibanaSavedObjectMeta").path("searchSourceJSON")).path("indexRefName"), used);
        if (a.hasNonNull("panelsJSON")) {
            // Kibana 8 names a panel's reference "<panelIndex>:<panelRefName>"
            json(a.get("panelsJSON").asText()).forEach(panel -> {
                if (panel.hasNonNull("panelRefName")) {
                    used.add(panel.path("panelIndex").asText() + ":" + panel.get("panelRefName").asText());
                }
            });
        }
        a.path("state").path("datasourceStates").path("formBased").path("layers").fieldNames()
                .forEachRemaining(layer -> used.add("indexpattern-datasource-layer-" + layer));
        return used;
    }

    private Set<String> runtimeFields() {
        Set<String> fields = new TreeSet<>();
        objects.stream().filter(o -> o.type().equals("index-pattern"))
                .forEach(o -> fields.addAll(keys(o.attributes().path("runtimeFieldMap"))));
        return fields;
    }

    private static SortedSet<String> aggregatedFields(SavedObject o) {
        SortedSet<String> fields = new TreeSet<>();
        JsonNode a = o.attributes();
        if (o.type().equals("index-pattern")) {
            addText(a.path("timeFieldName"), fields);
        }
        // sort: [["@timestamp","desc"], ...] (older exports: ["@timestamp","desc"])
        JsonNode sort = a.path("sort");
        if (sort.isArray() && sort.size() > 0 && sort.get(0).isTextual()) {
            addText(sort.get(0), fields);
        } else {
            sort.forEach(s -> addText(s.path(0), fields));
        }
        addText(a.path("breakdownField"), fields);
        // Lens: every column of every layer names its field
        a.path("state").path("datasourceStates").forEach(datasource -> datasource.path("layers").forEach(layer ->
                layer.path("columns").forEach(column -> {
                    addText(column.path("sourceField"), fields);
                    column.path("params").path("secondaryFields").forEach(f -> addText(f, fields));
                })));
        // legacy visualizations: aggregations in visState
        if (a.hasNonNull("visState")) {
            json(a.get("visState").asText()).path("aggs").forEach(agg -> addText(agg.path("params").path("field"), fields));
        }
        fields.remove(LENS_RECORDS);
        return fields;
    }

    private static void addSearchSource(JsonNode searchSourceJson, Set<String> fields) {
        JsonNode source = searchSource(searchSourceJson);
        addQuery(source.path("query"), fields);
        source.path("filter").forEach(f -> addFilter(f, fields));
    }

    private static JsonNode searchSource(JsonNode searchSourceJson) {
        return searchSourceJson.isTextual() ? json(searchSourceJson.asText()) : searchSourceJson;
    }

    /** {@code {"query": "...", "language": "kuery"|"lucene"}}: the field of every {@code field:value} clause. */
    private static void addQuery(JsonNode query, Set<String> fields) {
        String text = query.path("query").isTextual() ? query.path("query").asText() : "";
        String unquoted = QUOTED.matcher(text).replaceAll("\"\"");
        for (Pattern p : List.of(QUERY_FIELD, EXISTS_FIELD)) {
            Matcher m = p.matcher(unquoted);
            while (m.find()) {
                fields.add(m.group(1));
            }
        }
        fields.remove("_exists_");
    }

    /** A filter pill: its {@code meta.key} and the fields of its query DSL ({@code match_phrase}, {@code range}, {@code exists} …). */
    private static void addFilter(JsonNode filter, Set<String> fields) {
        addText(filter.path("meta").path("key"), fields);
        if (filter.isObject()) {
            // the rest is query DSL (under "query", or at the top in older filters); meta and $state are Kibana's
            ObjectNode dsl = ((ObjectNode) filter).deepCopy();
            dsl.remove(List.of("meta", "$state"));
            addDslFields(dsl, fields);
        }
    }

    private static void addDslFields(JsonNode dsl, Set<String> fields) {
        if (!dsl.isObject()) {
            if (dsl.isArray()) {
                dsl.forEach(d -> addDslFields(d, fields));
            }
            return;
        }
        for (Map.Entry<String, JsonNode> e : dsl.properties()) {
            if (FIELD_KEYED_QUERIES.contains(e.getKey()) && e.getValue().isObject()) {
                e.getValue().fieldNames().forEachRemaining(fields::add);
            } else if (e.getKey().equals("exists")) {
                addText(e.getValue().path("field"), fields);
            } else {
                addDslFields(e.getValue(), fields);
            }
        }
    }

    /** The keys of an object that Kibana stores either as JSON or as a JSON string ({@code fieldAttrs} …). */
    private static Set<String> keys(JsonNode objectOrJsonString) {
        JsonNode object = objectOrJsonString.isTextual() ? json(objectOrJsonString.asText()) : objectOrJsonString;
        Set<String> keys = new TreeSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static void addText(JsonNode node, Set<String> fields) {
        if (node.isTextual() && !node.asText().isBlank()) {
            fields.add(node.asText());
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }
}
