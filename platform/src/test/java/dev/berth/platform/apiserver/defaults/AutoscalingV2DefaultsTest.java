package dev.berth.platform.apiserver.defaults;

import static dev.berth.platform.apiserver.defaults.Defaulting.at;
import static dev.berth.platform.apiserver.defaults.Defaulting.defaulted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * autoscaling/v2 defaulting, transcribed from kubernetes {@code pkg/apis/autoscaling/v2/defaults_test.go}
 * ({@code TestGenerateScaleUpRules}, {@code TestGenerateScaleDownRules}, each row naming the upstream case). Policies
 * are written as {@code type/value/periodSeconds} joined by {@code ;}.
 */
class AutoscalingV2DefaultsTest {

    private static final String HPA = "{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'h'},'spec':"
            + "{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'d'},'maxReplicas':5%s}}";

    @ParameterizedTest(name = "TestGenerateScaleUpRules/{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Default values                                         | {}                                                                                          | Pods/4/15;Percent/100/15 | 0  | Max
            All parameters are specified                           | {'stabilizationWindowSeconds':25,'selectPolicy':'Max','policies':[{'type':'Pods','value':1,'periodSeconds':2},{'type':'Percent','value':3,'periodSeconds':4}]} | Pods/1/2;Percent/3/4 | 25 | Max
            Pod policy is specified                                | {'selectPolicy':'Min','policies':[{'type':'Pods','value':1,'periodSeconds':2}]}             | Pods/1/2                 | 0  | Min
            Percent policy is specified                            | {'policies':[{'type':'Percent','value':7,'periodSeconds':10}]}                              | Percent/7/10             | 0  | Max
            Pod policy and stabilization window are specified      | {'stabilizationWindowSeconds':25,'policies':[{'type':'Pods','value':4,'periodSeconds':2}]}  | Pods/4/2                 | 25 | Max
            Percent policy and stabilization window are specified  | {'stabilizationWindowSeconds':25,'policies':[{'type':'Percent','value':7,'periodSeconds':60}]} | Percent/7/60          | 25 | Max
            """)
    void scaleUp(String upstreamCase, String rules, String policies, String window, String select) {
        JsonNode up = defaulted(HorizontalPodAutoscaler.class, HPA.formatted(",'behavior':{'scaleUp':" + rules + "}")).at("/spec/behavior/scaleUp");
        assertThat(policies(up)).as(upstreamCase).isEqualTo(policies);
        assertThat(at(up, "/stabilizationWindowSeconds")).isEqualTo(window);
        assertThat(at(up, "/selectPolicy")).isEqualTo(select);
    }

    @ParameterizedTest(name = "TestGenerateScaleDownRules/{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Default values                 | {}                                                                                          | Percent/100/15       | ""  | Max
            All parameters are specified   | {'stabilizationWindowSeconds':25,'selectPolicy':'Max','policies':[{'type':'Pods','value':1,'periodSeconds':2},{'type':'Percent','value':3,'periodSeconds':4}]} | Pods/1/2;Percent/3/4 | 25 | Max
            Percent policy is specified    | {'selectPolicy':'Min','policies':[{'type':'Percent','value':1,'periodSeconds':2}]}          | Percent/1/2          | ""  | Min
            Pods policy is specified       | {'policies':[{'type':'Pods','value':3,'periodSeconds':4}]}                                  | Pods/3/4             | ""  | Max
            """)
    void scaleDown(String upstreamCase, String rules, String policies, String window, String select) {
        JsonNode down = defaulted(HorizontalPodAutoscaler.class, HPA.formatted(",'behavior':{'scaleDown':" + rules + "}")).at("/spec/behavior/scaleDown");
        assertThat(policies(down)).as(upstreamCase).isEqualTo(policies);
        assertThat(at(down, "/stabilizationWindowSeconds")).isEqualTo(window);
        assertThat(at(down, "/selectPolicy")).isEqualTo(select);
    }

    /** SetDefaults_HorizontalPodAutoscalerBehavior: one rule given, the other is filled with its defaults too. */
    @Test
    void aBehaviorWithOneRuleGetsBoth() {
        JsonNode hpa = defaulted(HorizontalPodAutoscaler.class, HPA.formatted(",'behavior':{'scaleDown':{'stabilizationWindowSeconds':60}}"));
        assertThat(policies(hpa.at("/spec/behavior/scaleUp"))).isEqualTo("Pods/4/15;Percent/100/15");
        assertThat(at(hpa, "/spec/behavior/scaleDown/stabilizationWindowSeconds")).isEqualTo("60");
    }

    /** No behavior stays no behavior: the HPA controller's own scale-down stabilisation applies then. */
    @Test
    void noBehaviorStaysAbsent() {
        JsonNode hpa = defaulted(HorizontalPodAutoscaler.class, HPA.formatted(""));
        assertThat(at(hpa, "/spec/behavior")).isEmpty();
    }

    /** SetDefaults_HorizontalPodAutoscaler: minReplicas 1 and, without metrics, 80 % average cpu utilisation. */
    @Test
    void minReplicasAndCpuMetric() {
        JsonNode hpa = defaulted(HorizontalPodAutoscaler.class, HPA.formatted(""));
        assertThat(at(hpa, "/spec/minReplicas")).isEqualTo("1");
        assertThat(at(hpa, "/spec/metrics/0/type")).isEqualTo("Resource");
        assertThat(at(hpa, "/spec/metrics/0/resource/name")).isEqualTo("cpu");
        assertThat(at(hpa, "/spec/metrics/0/resource/target/type")).isEqualTo("Utilization");
        assertThat(at(hpa, "/spec/metrics/0/resource/target/averageUtilization")).isEqualTo("80");
        JsonNode given = defaulted(HorizontalPodAutoscaler.class, HPA.formatted(",'minReplicas':3"));
        assertThat(at(given, "/spec/minReplicas")).isEqualTo("3");
    }

    private static String policies(JsonNode rules) {
        StringBuilder out = new StringBuilder();
        for (JsonNode p : rules.path("policies")) {
            out.append(out.isEmpty() ? "" : ";").append(p.path("type").asText()).append('/').append(p.path("value").asInt()).append('/')
                    .append(p.path("periodSeconds").asInt());
        }
        return out.toString();
    }
}
