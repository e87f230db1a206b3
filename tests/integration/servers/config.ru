# A rack app for puma: each request takes 10 ms and says which instance answered.
run lambda { |env|
  sleep 0.01
  [200, { "Content-Type" => "text/plain" }, ["ok puma #{ENV['FORMATION_INSTANCE']}\n"]]
}
