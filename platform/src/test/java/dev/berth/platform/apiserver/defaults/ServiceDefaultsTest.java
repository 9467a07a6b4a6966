package dev.berth.platform.apiserver.defaults;

import static dev.berth.platform.apiserver.defaults.Defaulting.at;
import static dev.berth.platform.apiserver.defaults.Defaulting.defaulted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Service and Secret defaulting, transcribed from kubernetes {@code pkg/apis/core/v1/defaults_test.go}; rows name the upstream test. */
class ServiceDefaultsTest {

    @ParameterizedTest(name = "{0}: {2} = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            TestSetDefaultService                                          | {'ports':[{'port':80}]}                                                          | /spec/sessionAffinity                              | None
            TestSetDefaultService                                          | {'ports':[{'port':80}]}                                                          | /spec/sessionAffinityConfig                        | ""
            TestSetDefaultService                                          | {'ports':[{'port':80}]}                                                          | /spec/type                                         | ClusterIP
            TestSetDefaultService affinity None drops a config             | {'sessionAffinityConfig':{'clientIP':{'timeoutSeconds':5}},'ports':[{'port':80}]} | /spec/sessionAffinityConfig                       | ""
            TestSetDefaultServiceSessionAffinityConfig/SessionAffinityConfig is empty | {'sessionAffinity':'ClientIP','ports':[{'port':80}]}                  | /spec/sessionAffinityConfig/clientIP/timeoutSeconds | 10800
            TestSetDefaultServiceSessionAffinityConfig/ClientIP is empty   | {'sessionAffinity':'ClientIP','sessionAffinityConfig':{},'ports':[{'port':80}]}  | /spec/sessionAffinityConfig/clientIP/timeoutSeconds | 10800
            TestSetDefaultServiceSessionAffinityConfig/TimeoutSeconds is empty | {'sessionAffinity':'ClientIP','sessionAffinityConfig':{'clientIP':{}},'ports':[{'port':80}]} | /spec/sessionAffinityConfig/clientIP/timeoutSeconds | 10800
            TestSetDefaultServiceTargetPort defaulted                      | {'ports':[{'port':1234}]}                                                        | /spec/ports/0/targetPort                           | 1234
            TestSetDefaultServiceTargetPort unchanged                      | {'ports':[{'port':1234,'targetPort':5678}]}                                      | /spec/ports/0/targetPort                           | 5678
            TestSetDefaultServicePort unchanged if set (name)              | {'ports':[{'protocol':'UDP','port':9376,'targetPort':'p'}]}                      | /spec/ports/0/targetPort                           | p
            TestSetDefaultServicePort unchanged if set (protocol)          | {'ports':[{'protocol':'UDP','port':9376,'targetPort':'p'}]}                      | /spec/ports/0/protocol                             | UDP
            TestSetDefaultServicePort defaulted from ""                    | {'ports':[{'port':9376,'targetPort':''}]}                                        | /spec/ports/0/targetPort                           | 9376
            TestSetDefaultServicePort defaulted from 0                     | {'ports':[{'port':8675,'targetPort':0}]}                                         | /spec/ports/0/targetPort                           | 8675
            TestSetDefaultServicePort defaulted protocol                   | {'ports':[{'port':8675,'targetPort':0}]}                                         | /spec/ports/0/protocol                             | TCP
            TestSetDefaultServiceExternalTraffic none for ClusterIP        | {'ports':[{'port':80}]}                                                          | /spec/externalTrafficPolicy                        | ""
            TestSetDefaultServiceExternalTraffic NodePort                  | {'type':'NodePort','ports':[{'port':80}]}                                        | /spec/externalTrafficPolicy                        | Cluster
            TestSetDefaultServiceExternalTraffic LoadBalancer              | {'type':'LoadBalancer','ports':[{'port':80}]}                                    | /spec/externalTrafficPolicy                        | Cluster
            TestSetDefaultServiceExternalTraffic ClusterIP with externalIPs | {'externalIPs':['1.2.3.4'],'ports':[{'port':80}]}                               | /spec/externalTrafficPolicy                        | Cluster
            TestSetDefaultServiceInternalTrafficPolicy/must set default internalTrafficPolicy | {'ports':[{'port':80}]}                                       | /spec/internalTrafficPolicy                        | Cluster
            TestSetDefaultServiceInternalTrafficPolicy Local kept          | {'internalTrafficPolicy':'Local','ports':[{'port':80}]}                          | /spec/internalTrafficPolicy                        | Local
            TestSetDefaultServiceInternalTrafficPolicy not for ExternalName | {'type':'ExternalName','externalName':'x.example','ports':[{'port':80}]}        | /spec/internalTrafficPolicy                        | ""
            SetDefaults_Service allocateLoadBalancerNodePorts              | {'type':'LoadBalancer','ports':[{'port':80}]}                                    | /spec/allocateLoadBalancerNodePorts                | true
            Berth runs no ClusterIP allocator: no clusterIP                | {'ports':[{'port':80}]}                                                          | /spec/clusterIP                                    | ""
            """)
    void service(String upstreamCase, String spec, String pointer, String expected) {
        JsonNode svc = defaulted(Service.class, "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':" + spec + "}");
        assertThat(at(svc, pointer)).as(upstreamCase).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: type = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            TestSetDefaultSecret                 | {}                                           | Opaque
            SetDefaults_Secret given type kept   | {'type':'kubernetes.io/tls'}                 | kubernetes.io/tls
            """)
    void secret(String upstreamCase, String fields, String expected) {
        JsonNode secret = defaulted(Secret.class, "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'}" + (fields.equals("{}") ? "" : "," + fields.substring(1, fields.length() - 1)) + "}");
        assertThat(at(secret, "/type")).as(upstreamCase).isEqualTo(expected);
    }
}
