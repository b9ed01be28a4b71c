package awswire_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/config"
)

// fakeParameterStore answers GetParameter as SSM does (AWS JSON 1.1:
// POST /, X-Amz-Target AmazonSSM.GetParameter, errors as {"__type"}),
// checking the request is SigV4-signed for ssm (verifySignature) and asks
// for decryption.
// It is a test double holding named parameters in memory.
type fakeParameterStore struct {
	params map[string][2]string // name → type, value
	calls  int
}

func (f *fakeParameterStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls++
	fail := func(status int, typ, msg string) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
	}
	if r.Method != "POST" || r.Header.Get("X-Amz-Target") != "AmazonSSM.GetParameter" || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		fail(400, "UnknownOperationException", "unexpected request")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		fail(400, "SerializationException", err.Error())
		return
	}
	if err := verifySignature(r, body, "AKIDTEST", "secret"); err != nil {
		fail(403, "InvalidSignatureException", err.Error())
		return
	}
	var in struct {
		Name           string
		WithDecryption bool
	}
	if err := json.Unmarshal(body, &in); err != nil {
		fail(400, "SerializationException", err.Error())
		return
	}
	p, ok := f.params[in.Name]
	if !ok {
		fail(400, "ParameterNotFound", "")
		return
	}
	if in.Name == "/hrss/prod/denied" {
		fail(400, "AccessDeniedException", "not authorized to perform: ssm:GetParameter")
		return
	}
	value := p[1]
	if p[0] == "SecureString" && !in.WithDecryption {
		value = "AQICAHh-ciphertext"
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(map[string]any{"Parameter": map[string]any{"Name": in.Name, "Type": p[0], "Value": value, "Version": 1}})
}

func TestSecrets(t *testing.T) {
	key := strings.Repeat("k", awswire.MinIDHashKeyLen)
	fake := &fakeParameterStore{params: map[string][2]string{
		"/hrss/prod/id-hash-key": {"SecureString", key},
		"/hrss/prod/plain":       {"String", key},
		"/hrss/prod/short":       {"SecureString", "short"},
		"/hrss/prod/denied":      {"SecureString", key},
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := awswire.NewParameterStore(aws.Config{Region: "cn-north-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")})

	tests := []struct {
		name   string
		env    map[string]string
		reads  bool   // SSM is called
		errHas string // "" = ok, and the key is the parameter's
	}{
		{"the template's environment", map[string]string{"HRSS_ID_HASH_KEY_PARAM": "/hrss/prod/id-hash-key"}, true, ""},
		{"key in the environment", map[string]string{"HRSS_ID_HASH_KEY_PARAM": "/hrss/prod/id-hash-key", "HRSS_ID_HASH_KEY": key}, false, "must not be set"},
		{"no parameter named", map[string]string{}, false, "HRSS_ID_HASH_KEY_PARAM"},
		{"relative name", map[string]string{"HRSS_ID_HASH_KEY_PARAM": "hrss/id-hash-key"}, false, "not a Parameter Store name"},
		{"missing parameter", map[string]string{"HRSS_ID_HASH_KEY_PARAM": "/hrss/prod/none"}, true, "does not exist"},
		{"plain String parameter", map[string]string{"HRSS_ID_HASH_KEY_PARAM": "/hrss/prod/plain"}, true, "must be a SecureString"},
		{"access denied", map[string]string{"HRSS_ID_HASH_KEY_PARAM": "/hrss/prod/denied"}, true, "AccessDenied"},
		{"short key", map[string]string{"HRSS_ID_HASH_KEY_PARAM": "/hrss/prod/short"}, true, "at least 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if err != nil {
				t.Fatal(err)
			}
			before := fake.calls
			err = awswire.Secrets(t.Context(), client, &cfg)
			if (fake.calls > before) != tt.reads {
				t.Errorf("SSM called %d times", fake.calls-before)
			}
			checkSecrets(t, err, cfg.IDHashKey, key, tt.errHas)
		})
	}
}

// checkSecrets checks Secrets' outcome: the parameter's value got (want
// key) when errHas is empty, else an error saying errHas; never an error
// that shows the key.
func checkSecrets(t *testing.T, err error, got, key, errHas string) {
	t.Helper()
	switch {
	case errHas == "" && err != nil:
		t.Fatalf("err = %v", err)
	case errHas == "" && got != key:
		t.Errorf("key %q, want the parameter's value", got)
	case errHas != "" && (err == nil || !strings.Contains(err.Error(), errHas)):
		t.Errorf("err = %v, want one saying %q", err, errHas)
	}
	if err != nil && strings.Contains(err.Error(), key) {
		t.Errorf("the error shows the key")
	}
}
