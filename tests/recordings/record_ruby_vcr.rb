# Records every path of paths.txt with Ruby VCR hooked into WebMock (Net::HTTP) into
# OUT/ruby_vcr.yml. Args: PORT OUT
require 'net/http'
require 'vcr'
require 'webmock'

port, out = ARGV
paths = File.read(File.join(__dir__, 'paths.txt')).split
VCR.configure do |c|
  c.cassette_library_dir = out
  c.hook_into :webmock
end
VCR.use_cassette('ruby_vcr', record: :all) do
  paths.each { |p| Net::HTTP.get_response(URI("http://127.0.0.1:#{port}#{p}")) }
end
