-- Intervention providers (testing laboratories, psychologists, therapists; Northamptonshire's
-- system, docs/rules.md section 3) are regulated by their professional bodies, not registered with
-- an inspectorate: their establishments are of type 'intervention' and inspectorate 'none'.
ALTER TABLE establishments
  DROP CONSTRAINT establishments_type_check,
  ADD CONSTRAINT establishments_type_check
    CHECK (type IN ('childrens_home', 'short_breaks', 'supported_accommodation', 'ifa',
                    'residential_special_school', 'special_school', 'college', 'intervention')),
  DROP CONSTRAINT establishments_inspectorate_check,
  ADD CONSTRAINT establishments_inspectorate_check
    CHECK (inspectorate IN ('Ofsted', 'ISI', 'CQC', 'Estyn', 'none'));
