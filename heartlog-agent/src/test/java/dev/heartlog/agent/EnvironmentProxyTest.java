package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentProxyTest {

  private static final URI SUPABASE = URI.create("https://project.supabase.co/rest/v1/rpc/f");
  private static final URI PLAIN = URI.create("http://orchestrator:7070/rest/v1/rpc/f");

  @Test
  void theSchemesVariableNamesTheProxyTheLowerCaseOneFirst() {
    Map<String, String> environment = Map.of("https_proxy", "http://egress:3128", "HTTPS_PROXY", "http://other:1",
        "HTTP_PROXY", "plain-proxy:8080");

    assertThat(EnvironmentProxy.forTarget(SUPABASE, environment)).contains(InetSocketAddress.createUnresolved("egress", 3128));
    assertThat(EnvironmentProxy.forTarget(PLAIN, environment)).contains(InetSocketAddress.createUnresolved("plain-proxy", 8080));
    assertThat(EnvironmentProxy.forTarget(PLAIN, Map.of("HTTP_PROXY", "http://egress/")))
        .as("port 80 when none is given").contains(InetSocketAddress.createUnresolved("egress", 80));
    assertThat(EnvironmentProxy.forTarget(SUPABASE, Map.of("http_proxy", "http://egress:3128")))
        .as("an http proxy is not one for https").isEmpty();
    assertThat(EnvironmentProxy.forTarget(SUPABASE, Map.of("https_proxy", " "))).isEmpty();
  }

  @Test
  void noProxyListsHostsTheirSubdomainsAndIpv4Ranges() {
    String noProxy = "localhost, .internal,example.com:443 ,10.0.0.0/8,192.168.1.7";

    assertThat(EnvironmentProxy.bypasses("localhost", noProxy)).isTrue();
    assertThat(EnvironmentProxy.bypasses("db.internal", noProxy)).isTrue();
    assertThat(EnvironmentProxy.bypasses("internal", noProxy)).isTrue();
    assertThat(EnvironmentProxy.bypasses("api.EXAMPLE.com", noProxy)).isTrue();
    assertThat(EnvironmentProxy.bypasses("notexample.com", noProxy)).isFalse();
    assertThat(EnvironmentProxy.bypasses("10.200.3.4", noProxy)).isTrue();
    assertThat(EnvironmentProxy.bypasses("11.0.0.1", noProxy)).isFalse();
    assertThat(EnvironmentProxy.bypasses("192.168.1.7", noProxy)).isTrue();
    assertThat(EnvironmentProxy.bypasses("192.168.1.8", noProxy)).isFalse();
    assertThat(EnvironmentProxy.bypasses("project.supabase.co", noProxy)).isFalse();
    assertThat(EnvironmentProxy.bypasses("anything", "*")).isTrue();
    assertThat(EnvironmentProxy.forTarget(SUPABASE, Map.of("HTTPS_PROXY", "egress:3128", "NO_PROXY", ".supabase.co")))
        .isEmpty();
  }

  @Test
  void aProxyItCannotUseIsAClearError() {
    assertThatThrownBy(() -> EnvironmentProxy.forTarget(SUPABASE, Map.of("https_proxy", "https://egress:3128")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over plain http only");
    assertThatThrownBy(() -> EnvironmentProxy.forTarget(SUPABASE, Map.of("https_proxy", "http://me:secret@egress:3128")))
        .hasMessageContaining("carries a user and password").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> EnvironmentProxy.forTarget(SUPABASE, Map.of("https_proxy", "http://:3128")))
        .hasMessageContaining("names no proxy host");
  }
}
