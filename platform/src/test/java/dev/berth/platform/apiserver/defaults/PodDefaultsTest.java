package dev.berth.platform.apiserver.defaults;

import static dev.berth.platform.apiserver.defaults.Defaulting.at;
import static dev.berth.platform.apiserver.defaults.Defaulting.defaulted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * core/v1 pod defaulting, transcribed from kubernetes {@code pkg/apis/core/v1/defaults_test.go} (rows name the upstream
 * test) plus the defaults of {@code defaults.go} that upstream checks only through other tests (named by their
 * {@code SetDefaults_} function).
 */
class PodDefaultsTest {

    @ParameterizedTest(name = "{0}: {2} = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SetDefaults_PodSpec dnsPolicy                                | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/dnsPolicy                                        | ClusterFirst
            SetDefaults_PodSpec restartPolicy                            | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/restartPolicy                                    | Always
            SetDefaults_PodSpec restartPolicy kept                       | {'restartPolicy':'Never','containers':[{'name':'c','image':'a:1'}]}          | /spec/restartPolicy                                    | Never
            SetDefaults_PodSpec securityContext                          | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/securityContext                                  | {}
            SetDefaults_PodSpec terminationGracePeriodSeconds            | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/terminationGracePeriodSeconds                    | 30
            SetDefaults_PodSpec terminationGracePeriodSeconds 0 kept     | {'terminationGracePeriodSeconds':0,'containers':[{'name':'c','image':'a:1'}]} | /spec/terminationGracePeriodSeconds                   | 0
            TestSetDefaultSchedulerName                                  | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/schedulerName                                    | default-scheduler
            TestSetDefaultEnableServiceLinks                             | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/enableServiceLinks                               | true
            TestSetDefaultEnableServiceLinks kept false                  | {'enableServiceLinks':false,'containers':[{'name':'c','image':'a:1'}]}       | /spec/enableServiceLinks                               | false
            SetDefaults_Container terminationMessagePath                 | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/containers/0/terminationMessagePath              | /dev/termination-log
            SetDefaults_Container terminationMessagePolicy               | {'containers':[{'name':'c','image':'a:1'}]}                                  | /spec/containers/0/terminationMessagePolicy            | File
            TestSetDefaultReplicationControllerInitContainers/imagePullIPolicy| {'initContainers':[{'name':'i','image':'a'}],'containers':[{'name':'c','image':'a:1'}]} | /spec/initContainers/0/imagePullPolicy      | Always
            TestSetDefaultReplicationControllerInitContainers/ContainerPort| {'containers':[{'name':'c','image':'a:1','ports':[{'containerPort':80}]}]}   | /spec/containers/0/ports/0/protocol                    | TCP
            ContainerPort protocol kept                                  | {'containers':[{'name':'c','image':'a:1','ports':[{'containerPort':53,'protocol':'UDP'}]}]} | /spec/containers/0/ports/0/protocol     | UDP
            TestSetDefaultProbe timeoutSeconds                           | {'containers':[{'name':'c','image':'a:1','livenessProbe':{'tcpSocket':{'port':80}}}]} | /spec/containers/0/livenessProbe/timeoutSeconds   | 1
            TestSetDefaultProbe periodSeconds                            | {'containers':[{'name':'c','image':'a:1','livenessProbe':{'tcpSocket':{'port':80}}}]} | /spec/containers/0/livenessProbe/periodSeconds    | 10
            TestSetDefaultProbe successThreshold                         | {'containers':[{'name':'c','image':'a:1','livenessProbe':{'tcpSocket':{'port':80}}}]} | /spec/containers/0/livenessProbe/successThreshold | 1
            TestSetDefaultProbe failureThreshold                         | {'containers':[{'name':'c','image':'a:1','livenessProbe':{'tcpSocket':{'port':80}}}]} | /spec/containers/0/livenessProbe/failureThreshold | 3
            TestSetDefaultProbe initialDelaySeconds stays unset          | {'containers':[{'name':'c','image':'a:1','livenessProbe':{'tcpSocket':{'port':80}}}]} | /spec/containers/0/livenessProbe/initialDelaySeconds | ""
            SetDefaults_Probe on readinessProbe, given period kept       | {'containers':[{'name':'c','image':'a:1','readinessProbe':{'periodSeconds':2,'httpGet':{'port':80}}}]} | /spec/containers/0/readinessProbe/periodSeconds | 2
            SetDefaults_Probe on startupProbe                            | {'containers':[{'name':'c','image':'a:1','startupProbe':{'exec':{'command':['true']}}}]} | /spec/containers/0/startupProbe/failureThreshold | 3
            TestSetDefaultReplicationControllerInitContainers/Probe scheme| {'containers':[{'name':'c','image':'a:1','readinessProbe':{'httpGet':{'port':80}}}]} | /spec/containers/0/readinessProbe/httpGet/scheme    | HTTP
            TestSetDefaultReplicationControllerInitContainers/Probe path| {'containers':[{'name':'c','image':'a:1','readinessProbe':{'httpGet':{'port':80}}}]} | /spec/containers/0/readinessProbe/httpGet/path      | /
            TestSetDefaultReplicationControllerInitContainers/LifeCycle| {'containers':[{'name':'c','image':'a:1','lifecycle':{'preStop':{'httpGet':{'port':80}}}}]} | /spec/containers/0/lifecycle/preStop/httpGet/scheme | HTTP
            TestSetDefaultObjectFieldSelectorAPIVersion                  | {'containers':[{'name':'c','image':'a:1','env':[{'name':'N','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}]}]} | /spec/containers/0/env/0/valueFrom/fieldRef/apiVersion | v1
            TestSetDefaultRequestsPod limits become requests             | {'containers':[{'name':'c','image':'a:1','resources':{'limits':{'cpu':'100m'}}}]} | /spec/containers/0/resources/requests/cpu              | 100m
            TestSetDefaultRequestsPod request=0 is preserved| {'containers':[{'name':'c','image':'a:1','resources':{'limits':{'cpu':'100m','memory':'1Gi'},'requests':{'memory':'0'}}}]} | /spec/containers/0/resources/requests/memory | 0
            TestSetDefaultPodSpecHostNetwork hostPort = containerPort    | {'hostNetwork':true,'containers':[{'name':'c','image':'a:1','ports':[{'containerPort':8080}]}]} | /spec/containers/0/ports/0/hostPort         | 8080
            TestSetDefaultPodSpecHostNetwork no hostNetwork, no hostPort | {'containers':[{'name':'c','image':'a:1','ports':[{'containerPort':8080}]}]} | /spec/containers/0/ports/0/hostPort                    | ""
            """)
    void pod(String upstreamCase, String spec, String pointer, String expected) {
        JsonNode pod = defaulted(Pod.class, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':" + spec + "}");
        assertThat(at(pod, pointer)).as(upstreamCase).isEqualTo(expected);
    }

    /** upstream: {@code parsers.ParseImageName}'s tag, "latest" when neither a tag nor a digest is given. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            nginx                                  | Always
            nginx:latest                           | Always
            nginx:1.25                             | IfNotPresent
            registry.local:5000/team/app           | Always
            registry.local:5000/team/app:2         | IfNotPresent
            app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef   | IfNotPresent
            app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | Always
            """)
    void imagePullPolicy(String image, String expected) {
        JsonNode pod = defaulted(Pod.class, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'" + image + "'}]}}");
        assertThat(at(pod, "/spec/containers/0/imagePullPolicy")).as("SetDefaults_Container imagePullPolicy of " + image).isEqualTo(expected);
    }

    @Test
    void givenImagePullPolicyIsKept() {
        JsonNode pod = defaulted(Pod.class, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'a','imagePullPolicy':'Never'}]}}");
        assertThat(at(pod, "/spec/containers/0/imagePullPolicy")).isEqualTo("Never");
    }

    @ParameterizedTest(name = "{0}: {2} = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            TestSetDefaultSecretVolumeSource                   | {'name':'v','secret':{'secretName':'s'}}                      | /secret/defaultMode              | 420
            TestSetDefaultConfigMapVolumeSource                | {'name':'v','configMap':{'name':'c'}}                         | /configMap/defaultMode           | 420
            TestSetDefaultConfigMapVolumeSource given kept     | {'name':'v','configMap':{'name':'c','defaultMode':256}}       | /configMap/defaultMode           | 256
            TestSetDefaultDownwardAPIVolumeSource              | {'name':'v','downwardAPI':{}}                                 | /downwardAPI/defaultMode         | 420
            TestSetDefaultProjectedVolumeSource                | {'name':'v','projected':{'sources':[]}}                       | /projected/defaultMode           | 420
            SetDefaults_ServiceAccountTokenProjection          | {'name':'v','projected':{'sources':[{'serviceAccountToken':{'path':'t'}}]}} | /projected/sources/0/serviceAccountToken/expirationSeconds | 3600
            TestSetDefaultHostPathVolumeSource                 | {'name':'v','hostPath':{'path':'/d'}}                         | /hostPath/type                   | ""
            SetDefaults_Volume no source    | {'name':'v'}                                                  | /emptyDir                        | {}
            SetDefaults_Volume keeps a given source            | {'name':'v','secret':{'secretName':'s'}}                      | /emptyDir                        | ""
            """)
    void volume(String upstreamCase, String volume, String pointer, String expected) {
        JsonNode pod = defaulted(Pod.class, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'a:1'}],'volumes':[" + volume + "]}}");
        assertThat(at(pod.at("/spec/volumes/0"), pointer)).as(upstreamCase).isEqualTo(expected);
    }

    /** hostPath's type "" ({@code HostPathUnset}) is present, not absent, as in a cluster's output. */
    @Test
    void hostPathTypeIsPresentAndEmpty() {
        JsonNode pod = defaulted(Pod.class, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'a:1'}],'volumes':[{'name':'v','hostPath':{'path':'/d'}}]}}");
        assertThat(pod.at("/spec/volumes/0/hostPath/type").isTextual()).isTrue();
    }

    /** upstream's {@code SetDefaults_Pod} is a Pod's only: a template gets the PodSpec's defaults, no enableServiceLinks. */
    @Test
    void templateGetsPodSpecDefaultsButNotPodOnes() {
        JsonNode d = defaulted(Deployment.class, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'template':{'spec':"
                + "{'containers':[{'name':'c','image':'a','resources':{'limits':{'cpu':'1'}}}]}}}}");
        assertThat(at(d, "/spec/template/spec/enableServiceLinks")).isEmpty();
        assertThat(at(d, "/spec/template/spec/containers/0/resources/requests")).isEmpty();
        assertThat(at(d, "/spec/template/spec/containers/0/imagePullPolicy")).isEqualTo("Always");
    }

    /** Defaulting is idempotent: a second pass over a defaulted object changes nothing. */
    @Test
    void defaultingTwiceChangesNothing() {
        String pod = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'a','ports':[{'containerPort':1}],"
                + "'livenessProbe':{'httpGet':{'port':1}}}],'volumes':[{'name':'v'}]}}";
        JsonNode once = defaulted(Pod.class, pod);
        JsonNode twice = defaulted(Pod.class, once.toString());
        assertThat(twice).isEqualTo(once);
    }
}
