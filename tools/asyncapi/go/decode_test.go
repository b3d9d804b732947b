// Decodes every valid fixture with the Go models Modelina generated from schemas/asyncapi.json,
// as a Go consumer would: `type` read first (Go has no union on it; see the README), then the
// event type's struct with json.Decoder's DisallowUnknownFields, then encoded again and compared
// with the fixture. The one difference allowed is the one Go cannot express: a null of an
// optional key comes back absent (the key's pointer is nil, and the field has `omitempty`).
//
// `payloads` (payloads_test.go) is written by models.mjs from the document's messages.
// Run by run.sh: OPENTACT_ROOT=<repository> go test ./...
package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

func TestDecodeEveryValidFixture(t *testing.T) {
	root := os.Getenv("OPENTACT_ROOT")
	files, err := filepath.Glob(filepath.Join(root, "fixtures", "valid", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid fixtures under %s/fixtures/valid (OPENTACT_ROOT): %v", root, err)
	}
	sort.Strings(files)
	decoded, droppedNulls := 0, 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(root, file)
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		newPayload, ok := payloads[head.Type]
		if !ok {
			t.Errorf("%s: no model for type %q", name, head.Type)
			continue
		}
		if folder := filepath.Base(filepath.Dir(file)); folder != head.Type {
			t.Errorf("%s: type %q in folder %q", name, head.Type, folder)
			continue
		}
		payload := newPayload()
		decoder := json.NewDecoder(bytes.NewReader(raw))
		decoder.DisallowUnknownFields()
		if err := decoder.Decode(payload); err != nil {
			t.Errorf("%s: decode into %T: %v", name, payload, err)
			continue
		}
		encoded, err := json.Marshal(payload)
		if err != nil {
			t.Errorf("%s: encode %T: %v", name, payload, err)
			continue
		}
		var before, after any
		if err := json.Unmarshal(raw, &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(encoded, &after); err != nil {
			t.Fatal(err)
		}
		problems := compare(before, after, "", &droppedNulls)
		for _, p := range problems {
			t.Errorf("%s: round trip through %T: %s", name, payload, p)
		}
		if len(problems) == 0 {
			decoded++
		}
	}
	fmt.Printf("GO_DECODED %d/%d valid fixtures decoded (DisallowUnknownFields) and encoded back equal, but for %d nulls of optional keys, which came back absent\n", decoded, len(files), droppedNulls)
}

// compare lists where after (the fixture decoded and encoded again) differs from before, by JSON
// Pointer; a member of before that is null and absent from after is counted, not reported.
func compare(before, after any, pointer string, droppedNulls *int) []string {
	b, bIsObject := before.(map[string]any)
	a, aIsObject := after.(map[string]any)
	if bIsObject && aIsObject {
		var problems []string
		for key, value := range b {
			at := pointer + "/" + key
			other, present := a[key]
			switch {
			case !present && value == nil:
				*droppedNulls++
			case !present:
				problems = append(problems, fmt.Sprintf("%s: absent after the round trip", at))
			default:
				problems = append(problems, compare(value, other, at, droppedNulls)...)
			}
		}
		for key := range a {
			if _, present := b[key]; !present {
				problems = append(problems, fmt.Sprintf("%s/%s: added by the round trip", pointer, key))
			}
		}
		return problems
	}
	bl, bIsArray := before.([]any)
	al, aIsArray := after.([]any)
	if bIsArray && aIsArray && len(bl) == len(al) {
		var problems []string
		for i := range bl {
			problems = append(problems, compare(bl[i], al[i], fmt.Sprintf("%s/%d", pointer, i), droppedNulls)...)
		}
		return problems
	}
	if !reflect.DeepEqual(before, after) {
		return []string{fmt.Sprintf("%s: %v became %v", pointer, before, after)}
	}
	return nil
}

// The README tells Go consumers to validate before decoding, because the generated models do
// not check enum values, `type` included: an enum's UnmarshalJSON looks the value up in a map,
// and a value it does not know gives the enum's first constant, with no error. Each valid
// fixture with its `type` changed to every other event type's shows it: its own struct decodes
// it, DisallowUnknownFields and all, and encodes `type` back as its own. Should Modelina start
// refusing unknown values, this fails and the README must change.
func TestUnknownTypeDecodesAsTheStructsOwn(t *testing.T) {
	root := os.Getenv("OPENTACT_ROOT")
	files, _ := filepath.Glob(filepath.Join(root, "fixtures", "valid", "*", "*.json"))
	silent, tried := 0, 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		own := filepath.Base(filepath.Dir(file))
		newPayload, ok := payloads[own]
		if !ok {
			continue
		}
		for other := range payloads {
			if other == own {
				continue
			}
			tried++
			var event map[string]any
			if err := json.Unmarshal(raw, &event); err != nil {
				t.Fatal(err)
			}
			event["type"] = other
			changed, _ := json.Marshal(event)
			payload := newPayload()
			decoder := json.NewDecoder(bytes.NewReader(changed))
			decoder.DisallowUnknownFields()
			if decoder.Decode(payload) != nil {
				continue
			}
			encoded, _ := json.Marshal(payload)
			var back struct {
				Type string `json:"type"`
			}
			if json.Unmarshal(encoded, &back) == nil && back.Type == own {
				silent++
			}
		}
	}
	if tried == 0 || silent != tried {
		t.Errorf("%d of %d fixtures with another event type's `type` were decoded by their own struct with no error and came back with their own `type`; the README says all are", silent, tried)
	}
	fmt.Printf("GO_OTHER_TYPE %d/%d valid fixtures with another event type's `type` decode with no error, `type` read as the struct's own\n", silent, tried)
}
